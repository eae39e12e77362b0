import type { RunEvent } from '../../../../shared/run/events';
import type { PublishIntentEntry, ReconciledEntry } from '../../../../shared/run/publish-entries';
import type { RunRecord } from '../../../../shared/run/record';
import { fakeRecord } from '../../audit/fake-record';

/** A record with every optional field of version 3 set, as a run that published writes it. */
export function fullRecord(): RunRecord {
  const r = fakeRecord(7, {
    userHint: 'QA Director',
    reason: 'release of lot B0007 after deviation DEV-12 was closed',
    selection: '+out',
    publishing: { mode: 'all', published: ['out'], discarded: [], failed: [], cancelledDuringPublish: false },
    warnings: ['OpenLineage START event refused by http://127.0.0.1:1/***: HTTP 500'],
  });
  r.nodes.push({
    id: 'out',
    name: 'out',
    kind: 'file_sink',
    status: 'done',
    rows: 3,
    durationMs: 4,
    outputHash: null,
    cached: false,
    cacheKey: 'k'.repeat(64),
    retries: 2,
    inputs: [{ uri: 'data/raw/lots.csv', size: 10, etag: '"e"', versionId: 'v1', sha256: 'c'.repeat(64), cacheHit: true }],
    outputs: [{ uri: 'data/curated/out.parquet', size: 100, sha256: 'd'.repeat(64), rows: 3 }],
    checks: [{ rule: 'range_v', severity: 'warn', passed: false, failingRows: 1, sample: [{ v: 101 }], description: 'd', type: 'range', columns: ['v'], message: '1 row out of [0, 100]' }],
    publish: 'published',
    warnings: ['retried GET twice'],
    startedAt: '2026-01-01T00:00:00.400Z',
    finishedAt: '2026-01-01T00:00:00.404Z',
  });
  return r;
}

export function intent(runId = fakeRecord(7).runId): PublishIntentEntry {
  return {
    format: 'weir.publish_intent',
    version: 1,
    runId,
    pipeline: { name: 'batch_release', file: 'pipelines/batch_release.weir.json' },
    environment: 'dev',
    mode: 'all',
    sinks: [
      { node: 'out', target: '/ws/data/curated/out.parquet', evidence: { kind: 'file', path: '/ws/data/curated/out.parquet', sha256: 'd'.repeat(64) } },
      { node: 'mart', target: 'postgres://mart/public.lots', evidence: { kind: 'other', how: 'compare with 3 rows' } },
    ],
    host: 'build-01',
    pid: 4242,
    at: '2026-01-01T00:00:00.500Z',
  };
}

export function reconciled(runId = fakeRecord(7).runId): ReconciledEntry {
  return {
    format: 'weir.publish_reconciled',
    version: 1,
    runId,
    reconciledBy: '20260102T000000.000Z-abcdef',
    sinks: [
      { node: 'out', target: '/ws/data/curated/out.parquet', published: true, how: 'same SHA-256' },
      { node: 'mart', target: 'postgres://mart/public.lots', published: 'unknown', how: 'compare with 3 rows' },
    ],
    at: '2026-01-02T00:00:00.000Z',
  };
}

/** One event of every type. */
export function everyEvent(): RunEvent[] {
  const n = { runId: 'r', nodeId: 'a', name: 'lots' };
  const at = '2026-01-01T00:00:00.000Z';
  return [
    { type: 'run_started', runId: 'r', pipeline: 'p', nodes: [{ id: 'a', name: 'lots', kind: 'seed' }], at },
    { type: 'node_started', ...n, at },
    { type: 'node_rows', ...n, rows: 10 },
    { type: 'node_finished', ...n, rows: null, durationMs: 3, cached: true, at },
    { type: 'node_failed', ...n, error: 'node "lots": boom', line: 2, column: 7, durationMs: 1, at },
    { type: 'node_skipped', ...n, reason: 'an input failed' },
    { type: 'node_warning', ...n, message: 'retried' },
    { type: 'node_published', ...n, target: 'data/out.parquet', at },
    { type: 'run_finished', runId: 'r', status: 'failed', durationMs: 9, recordPath: null, at },
  ];
}
