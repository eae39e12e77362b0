import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../shared/run/events';
import type { RunRecord } from '../../../shared/run/record';
import { beginRun, checkTally, fromRecord, idleRun, LOG_LIMIT, reduceRun, withRecord, type RunSnapshot } from '../../../src-renderer/run/run-reducer';
import { paramValuesFor } from '../../../src-renderer/run/run-config-store';

const P = 'pipelines/release.weir.json';
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 8, 0, s)).toISOString();
const nodes = [
  { id: 'a', name: 'lots', kind: 'seed' },
  { id: 'b', name: 'passing', kind: 'sql' },
  { id: 'c', name: 'checked', kind: 'check' },
  { id: 'd', name: 'out', kind: 'file_sink' },
];
const play = (events: RunEvent[], s: RunSnapshot = beginRun(P), path = P) => events.reduce((acc, e) => reduceRun(acc, path, e, 0), s);
const started: RunEvent = { type: 'run_started', runId: 'r1', pipeline: 'release', nodes, at: at(0) };

describe('the run reducer', () => {
  it('takes every node from queued through running (rows so far) to done, and logs with times and levels', () => {
    let s = play([started]);
    expect(s.phase).toBe('running');
    expect(s.runId).toBe('r1');
    expect(Object.values(s.nodes).map((n) => n.status)).toEqual(['queued', 'queued', 'queued', 'queued']);
    s = play([{ type: 'node_started', runId: 'r1', nodeId: 'a', name: 'lots', at: at(1) }, { type: 'node_rows', runId: 'r1', nodeId: 'a', name: 'lots', rows: 500 }], s);
    expect(s.nodes.a).toMatchObject({ status: 'running', rows: 500, startedAt: Date.parse(at(1)) });
    s = play([{ type: 'node_finished', runId: 'r1', nodeId: 'a', name: 'lots', rows: 1200, durationMs: 1500, cached: false, at: at(2) }], s);
    // A late tick does not undo the final count.
    s = play([{ type: 'node_rows', runId: 'r1', nodeId: 'a', name: 'lots', rows: 900 }], s);
    expect(s.nodes.a).toMatchObject({ status: 'done', rows: 1200, durationMs: 1500 });
    expect(s.log.map((l) => [l.level, l.node, l.message])).toEqual([
      ['info', null, 'run r1 started: 4 nodes'],
      ['info', 'lots', 'started'],
      ['info', 'lots', 'done: 1,200 rows in 1.50 s'],
    ]);
    expect(s.log.map((l) => l.at)).toEqual([at(0), at(1), at(2)].map(Date.parse));
    expect(s.log.map((l) => l.seq)).toEqual([1, 2, 3]);
  });

  it('records a failure with its line, skips what depends on it, and marks what never ran when the run ends', () => {
    const s = play([
      started,
      { type: 'node_finished', runId: 'r1', nodeId: 'a', name: 'lots', rows: 3, durationMs: 4, cached: true, at: at(1) },
      { type: 'node_started', runId: 'r1', nodeId: 'b', name: 'passing', at: at(1) },
      { type: 'node_failed', runId: 'r1', nodeId: 'b', name: 'passing', error: 'Binder Error: column "x" not found', line: 3, durationMs: 20, at: at(2) },
      { type: 'node_skipped', runId: 'r1', nodeId: 'c', name: 'checked', reason: 'upstream node "passing" failed' },
      { type: 'run_finished', runId: 'r1', status: 'failed', durationMs: 2000, recordPath: '/w/.weir/runs/r1.json', at: at(3) },
    ]);
    expect(s.phase).toBe('failed');
    expect(s.nodes.a).toMatchObject({ status: 'done', cached: true });
    expect(s.nodes.b).toMatchObject({ status: 'failed', line: 3, message: 'Binder Error: column "x" not found' });
    expect(s.nodes.c).toMatchObject({ status: 'skipped', message: 'upstream node "passing" failed' });
    expect(s.nodes.d).toMatchObject({ status: 'skipped', message: 'not run' });
    expect(s.recordPath).toBe('/w/.weir/runs/r1.json');
    expect(s.log.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['failed at line 3: Binder Error: column "x" not found', 'run failed in 2.00 s · record /w/.weir/runs/r1.json']);
    expect(s.log.filter((l) => l.level === 'warn').map((l) => l.node)).toEqual(['checked']);
  });

  it("logs a failure without the engine's own `node \"x\", line n:` before it (the line names both already)", () => {
    const failed = (name: string, error: string, line?: number) =>
      play([started, { type: 'node_failed', runId: 'r1', nodeId: 'b', name, error, ...(line ? { line } : {}), durationMs: 20, at: at(2) }]).log.find((l) => l.level === 'error')!.message;
    expect(failed('passing', 'node "passing", line 1: Binder Error: column "x" not found', 1)).toBe('failed at line 1: Binder Error: column "x" not found');
    expect(failed('passing', 'node "passing": Catalog Error: no table')).toBe('failed: Catalog Error: no table');
    // Another node's name, or the words without the colon, are the message itself.
    expect(failed('passing', 'node "lots", line 2: Binder Error: y', 2)).toBe('failed at line 2: node "lots", line 2: Binder Error: y');
    expect(failed('passing', 'node "passing" was cancelled by its input')).toBe('failed: node "passing" was cancelled by its input');
  });

  it('shows a cancel as cancelled, not as a failure: the interrupted node and the ones after it', () => {
    const s = play([
      started,
      { type: 'node_finished', runId: 'r1', nodeId: 'a', name: 'lots', rows: 1, durationMs: 4, cached: false, at: at(1) },
      { type: 'node_started', runId: 'r1', nodeId: 'b', name: 'passing', at: at(1) },
      { type: 'node_failed', runId: 'r1', nodeId: 'b', name: 'passing', error: 'cancelled', durationMs: 900, at: at(2) },
      { type: 'node_skipped', runId: 'r1', nodeId: 'c', name: 'checked', reason: 'run cancelled' },
      { type: 'run_finished', runId: 'r1', status: 'cancelled', durationMs: 1000, recordPath: null, at: at(2) },
    ]);
    expect(Object.values(s.nodes).map((n) => n.status)).toEqual(['done', 'cancelled', 'cancelled', 'cancelled']);
    expect(s.log.filter((l) => l.level === 'error')).toEqual([]);
    expect(s.log.filter((l) => l.node === 'passing').map((l) => l.message)).toEqual(['started', 'cancelled while running']);
  });

  it('turns running and queued nodes into cancelled when the run is cancelled, and takes no events after the end', () => {
    let s = play([
      started,
      { type: 'node_started', runId: 'r1', nodeId: 'a', name: 'lots', at: at(1) },
      { type: 'run_finished', runId: 'r1', status: 'cancelled', durationMs: 1000, recordPath: null, at: at(2) },
    ]);
    expect(s.phase).toBe('cancelled');
    expect(Object.values(s.nodes).map((n) => n.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    const after = play([{ type: 'node_finished', runId: 'r1', nodeId: 'a', name: 'lots', rows: 1, durationMs: 1, cached: false, at: at(3) }], s);
    expect(after).toBe(s);
    s = after;
    expect(s.log.at(-1)).toMatchObject({ level: 'warn', message: 'run cancelled in 1.00 s' });
  });

  it('ignores events of another file, another run, or while a past run is shown', () => {
    const s = play([started]);
    expect(reduceRun(s, 'pipelines/other.weir.json', { type: 'node_started', runId: 'r1', nodeId: 'a', name: 'lots', at: at(1) })).toBe(s);
    expect(reduceRun(s, P, { type: 'node_started', runId: 'r2', nodeId: 'a', name: 'lots', at: at(1) })).toBe(s);
    expect(reduceRun(idleRun(), P, started)).toEqual(idleRun()); // nothing asked for a run of P
    const past = fromRecord(P, record('r0'));
    expect(reduceRun(past, P, started)).toBe(past);
  });

  it('keeps the log bounded and does not log row ticks', () => {
    let s = play([started]);
    for (let i = 0; i < LOG_LIMIT + 50; i++) s = reduceRun(s, P, { type: 'node_warning', runId: 'r1', nodeId: 'a', name: 'lots', message: `w${i}` }, 0);
    s = reduceRun(s, P, { type: 'node_rows', runId: 'r1', nodeId: 'a', name: 'lots', rows: 5 }, 0);
    expect(s.log).toHaveLength(LOG_LIMIT);
    expect(s.log.at(-1)?.message).toBe(`w${LOG_LIMIT + 49}`);
    expect(s.log.at(-1)?.seq).toBe(LOG_LIMIT + 51);
  });

  it('adds check results and final counts from the run record, and shows a past run from its record', () => {
    const s = play([started, { type: 'run_finished', runId: 'r1', status: 'failed', durationMs: 10, recordPath: 'x', at: at(1) }]);
    const withChecks = withRecord(s, record('r1'));
    expect(withChecks.nodes.c?.checks?.map((c) => c.rule)).toEqual(['not_null_lot', 'range_viability']);
    expect(withChecks.nodes.c).toMatchObject({ status: 'failed', message: '1 check failed' });
    expect(withChecks.nodes.a).toMatchObject({ status: 'done', rows: 3 });
    expect(withRecord(s, record('other'))).toBe(s);
    expect(checkTally(withChecks.nodes.c!.checks)).toEqual({ passed: 1, failed: 1, warned: 0, total: 2, state: 'bad' });
    expect(checkTally(null)).toBeNull();
    const rule = (passed: boolean, severity: 'error' | 'warn') => ({ rule: 'r', severity, passed, failingRows: passed ? 0 : 1, sample: [] });
    expect(checkTally([rule(true, 'error'), rule(false, 'warn')])?.state).toBe('warn');
    expect(checkTally([rule(true, 'error'), rule(true, 'warn')])?.state).toBe('good');
    expect(checkTally([rule(false, 'warn'), rule(false, 'error')])?.state).toBe('bad');

    const past = fromRecord(P, record('r0'));
    expect(past).toMatchObject({ runId: 'r0', phase: 'failed', fromHistory: true, durationMs: 10 });
    expect(past.nodes.c?.checks).toHaveLength(2);
  });
});

describe('parameter values for a run', () => {
  const specs = { batch_id: { type: 'string' as const }, min_pct: { type: 'number' as const, default: 70 }, n: { type: 'integer' as const }, strict: { type: 'boolean' as const }, day: { type: 'date' as const } };
  it('types the values, drops parameters the pipeline no longer has, and reports values that do not fit', () => {
    expect(paramValuesFor(specs, { batch_id: 'B0142', min_pct: ' 72.5 ', n: '3', strict: 'TRUE', day: '2026-01-31', gone: 'x', empty: '' })).toEqual({
      values: { batch_id: 'B0142', min_pct: 72.5, n: 3, strict: true, day: '2026-01-31' },
      problems: {},
    });
    expect(paramValuesFor(specs, { min_pct: 'abc', n: '2.5', strict: 'maybe', day: '31/01/2026' })).toEqual({
      values: {},
      problems: { min_pct: 'expected a number', n: 'expected an integer', strict: 'expected true or false', day: 'expected a date as YYYY-MM-DD' },
    });
    expect(paramValuesFor(specs, undefined)).toEqual({ values: {}, problems: {} });
  });
});

function record(runId: string): RunRecord {
  return {
    format: 'weir.run',
    version: 3,
    runId,
    pipeline: { name: 'release', file: P, sha256: 'x', gitCommit: null, gitDirty: null },
    environment: 'dev',
    params: {},
    selection: null,
    startedAt: at(0),
    finishedAt: at(1),
    durationMs: 10,
    status: 'failed',
    user: 'u',
    host: 'h',
    weirVersion: '0',
    duckdbVersion: '1',
    nodes: [
      { id: 'a', name: 'lots', kind: 'seed', status: 'done', rows: 3, durationMs: 1, outputHash: null, cached: false },
      {
        id: 'c',
        name: 'checked',
        kind: 'check',
        status: 'failed',
        rows: 3,
        durationMs: 2,
        outputHash: null,
        cached: false,
        error: '1 check failed',
        checks: [
          { rule: 'not_null_lot', severity: 'error', passed: true, failingRows: 0, sample: [] },
          { rule: 'range_viability', severity: 'error', passed: false, failingRows: 1, sample: [{ lot: 'B2', viability: 64 }] },
        ],
      },
    ],
  };
}
