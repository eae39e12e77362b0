import type { ReviewReport } from '../../../../shared/review/schema';

/** A report with every part filled in, as the engine would give it for a breaking change. */
export function sampleReport(): ReviewReport {
  return {
    format: 'weir.review', version: 1, generatedAt: '2026-12-06T21:00:00.000Z', generatedBy: 'ana@lab', weirVersion: '0.1.0', duckdbVersion: 'v1.4.0',
    pipeline: { file: 'pipelines/batch_release.weir.json', name: 'batch_release' },
    base: { rev: 'HEAD~1', commit: 'a'.repeat(40), label: 'aaaaaaa base' },
    head: { rev: null, commit: null, dirty: true, label: 'working copy' },
    inputs: { mode: 'pinned', baseRunId: 'r1', fallbackReason: null, objects: [{ node: 'assays', uri: 'data/assays.csv', size: 10, sha256: 'f'.repeat(64), status: 'same' }] },
    summary: { verdict: 'breaking', breaking: 1, nonBreaking: 0, unchanged: 3, checksNewlyFailing: 1, checksNewlyPassing: 0 },
    nodes: [{
      id: 'n1', name: 'release', kind: 'sql', change: 'direct', classification: 'breaking', reasons: ['rows may change'],
      schema: { added: [], removed: [], retyped: [{ name: 'v', from: 'DOUBLE', to: 'DECIMAL(5,1)' }] },
      rows: { base: 3, head: 3 },
      profile: [{ column: 'v', base: { type: 'DOUBLE', rows: 3, nulls: 0, distinct: 3, min: '1', max: '3', mean: 2, top: [{ value: '1', count: 1 }] }, head: null }],
      values: { key: ['batch_id'], keySource: 'unique_check', onlyBase: 0, onlyHead: 0, changed: 1, same: 2, columns: [{ column: 'v', mismatches: 1 }], sample: [{ key: { batch_id: 'B1' }, base: { v: 1.04 }, head: { v: 1 } }] },
      checks: [{ rule: 'range_v', node: 'spec', base: { passed: true, failingRows: 0 }, head: { passed: false, failingRows: 2 }, change: 'newly_failing' }],
      error: null,
    }],
  };
}
