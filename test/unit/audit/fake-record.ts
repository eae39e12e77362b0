import type { RunRecord } from '../../../shared/run/record';

/** A small but complete run record, as runPipelineFile writes them. */
export function fakeRecord(i: number, extra: Partial<RunRecord> = {}): RunRecord {
  const runId = `20260101T0000${String(i).padStart(2, '0')}Z-${(0xabc000 + i).toString(16)}`;
  return {
    format: 'weir.run',
    version: 3,
    runId,
    pipeline: { name: 'batch_release', file: 'pipelines/batch_release.weir.json', sha256: 'a'.repeat(64), gitCommit: null, gitDirty: null },
    environment: 'dev',
    params: { batch_id: `B${String(i).padStart(4, '0')}`, min_viability_pct: 70 },
    selection: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    durationMs: 1000 + i,
    status: 'succeeded',
    user: 'qa.analyst',
    host: 'build-01',
    weirVersion: '0.1.0',
    duckdbVersion: 'v1.5.0',
    nodes: [
      {
        id: 'chk',
        name: 'assays_checked',
        kind: 'check',
        status: 'done',
        rows: 40 + i,
        durationMs: 12,
        outputHash: 'b'.repeat(64),
        cached: false,
        checks: [{ rule: 'not_null_batch_id', severity: 'error', passed: true, failingRows: 0, sample: [], message: 'ok: batch_id is not null' }],
      },
    ],
    ...extra,
  };
}
