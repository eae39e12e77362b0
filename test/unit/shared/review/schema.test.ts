import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { generatedSchemas } from '../../../../scripts/gen-json-schema';
import { REVIEW_SCHEMA_PATH, reviewReport, type ReviewReport } from '../../../../shared/review/schema';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

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

describe('the review report schema (issue #16)', () => {
  it('the committed JSON Schema is the generated one (run `npm run schema` when this fails)', () => {
    const generated = generatedSchemas().find((s) => s.path === REVIEW_SCHEMA_PATH);
    expect(generated).toBeDefined();
    expect(readFileSync(`${root}/${REVIEW_SCHEMA_PATH}`, 'utf8')).toBe(generated!.text);
  });

  it('accepts a full report in zod and in the JSON Schema, and refuses what is not one', () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(`${root}/${REVIEW_SCHEMA_PATH}`, 'utf8')));
    const r = sampleReport();
    expect(reviewReport.parse(r)).toEqual(r);
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...r, version: 2 })).toBe(false);
    expect(validate({ ...r, summary: { ...r.summary, verdict: 'maybe' } })).toBe(false);
    expect(reviewReport.safeParse({ ...r, surprise: 1 }).success).toBe(false);
  });
});
