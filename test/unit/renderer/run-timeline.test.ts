import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../shared/run/events';
import type { RunRecord } from '../../../shared/run/record';
import { beginRun, fromRecord, reduceRun, withRecord, type RunSnapshot } from '../../../src-renderer/run/run-reducer';
import { criticalPath } from '../../../src-renderer/run/critical-path';
import { assignLanes } from '../../../src-renderer/run/timeline-lanes';
import { offsetLabel, runInputsOf, timeTicks, timelineModel } from '../../../src-renderer/run/timeline-model';
import { fakeRecord } from '../audit/fake-record';

describe('the critical path', () => {
  // a ─┬─ b (50) ─┐
  //    └─ c (10) ─┴─ d (5)      e (70) on its own
  const nodes = [
    { id: 'a', durationMs: 20, inputs: [] },
    { id: 'b', durationMs: 50, inputs: ['a'] },
    { id: 'c', durationMs: 10, inputs: ['a'] },
    { id: 'd', durationMs: 5, inputs: ['c', 'b'] },
    { id: 'e', durationMs: 70, inputs: [] },
  ];

  it('is the chain of dependent nodes with the largest total duration, first to last', () => {
    expect(criticalPath(nodes)).toEqual({ ids: ['a', 'b', 'd'], durationMs: 75 });
  });

  it('follows the edges, not the order of the list, and a longer lone node wins over a shorter chain', () => {
    expect(criticalPath([...nodes].reverse())).toEqual({ ids: ['a', 'b', 'd'], durationMs: 75 });
    const slowE = nodes.map((n) => (n.id === 'e' ? { ...n, durationMs: 80 } : n));
    expect(criticalPath(slowE)).toEqual({ ids: ['e'], durationMs: 80 });
  });

  it('leaves out nodes that did not run, and edges to nodes outside the run', () => {
    const bSkipped = nodes.map((n) => (n.id === 'b' ? { ...n, durationMs: null } : n));
    expect(criticalPath(bSkipped)).toEqual({ ids: ['e'], durationMs: 70 });
    const withoutE = bSkipped.filter((n) => n.id !== 'e');
    expect(criticalPath(withoutE)).toEqual({ ids: ['a', 'c', 'd'], durationMs: 35 });
    expect(criticalPath([{ id: 'x', durationMs: 3, inputs: ['gone'] }])).toEqual({ ids: ['x'], durationMs: 3 });
  });

  it('breaks ties by the order given (the same run marks the same path), and survives a cycle', () => {
    const tie = [
      { id: 'p', durationMs: 10, inputs: [] },
      { id: 'q', durationMs: 10, inputs: [] },
      { id: 'r', durationMs: 1, inputs: ['q', 'p'] },
    ];
    expect(criticalPath(tie).ids).toEqual(['q', 'r']);
    const cycle = [
      { id: 'x', durationMs: 4, inputs: ['y'] },
      { id: 'y', durationMs: 6, inputs: ['x'] },
    ];
    expect(criticalPath(cycle).durationMs).toBe(10);
    expect(criticalPath([])).toEqual({ ids: [], durationMs: 0 });
  });
});

describe('lanes', () => {
  it('packs spans that do not overlap into one lane, so the lane count is the concurrency', () => {
    const { lanes, count } = assignLanes([
      { id: 'a', start: 0, end: 10 },
      { id: 'b', start: 0, end: 4 },
      { id: 'c', start: 4, end: 9 }, // starts as b ends: b's lane
      { id: 'd', start: 5, end: 12 }, // a and c still run: a third lane
      { id: 'e', start: 10, end: 11 }, // a ended: the lowest free lane
    ]);
    expect(Object.fromEntries(lanes)).toEqual({ a: 0, b: 1, c: 1, d: 2, e: 0 });
    expect(count).toBe(3);
  });

  it('a sequential run is one lane; zero-length (cached) spans do not take lanes of their own', () => {
    const seq = assignLanes([
      { id: 'a', start: 0, end: 5 },
      { id: 'b', start: 5, end: 5 },
      { id: 'c', start: 5, end: 8 },
    ]);
    expect(seq.count).toBe(1);
    expect(assignLanes([]).count).toBe(0);
  });
});

const t0 = Date.UTC(2026, 0, 1, 8, 0, 0);
const iso = (ms: number) => new Date(t0 + ms).toISOString();
const run: RunEvent[] = [
  {
    type: 'run_started',
    runId: 'r1',
    pipeline: 'p',
    nodes: [
      { id: 'a', name: 'lots', kind: 'seed' },
      { id: 'b', name: 'slow', kind: 'sql' },
      { id: 'c', name: 'fast', kind: 'sql' },
      { id: 'd', name: 'joined', kind: 'sql' },
      { id: 'e', name: 'out', kind: 'file_sink' },
    ],
    at: iso(0),
  },
  { type: 'node_started', runId: 'r1', nodeId: 'a', name: 'lots', at: iso(0) },
  { type: 'node_finished', runId: 'r1', nodeId: 'a', name: 'lots', rows: 3, durationMs: 1, cached: true, at: iso(1) },
  { type: 'node_started', runId: 'r1', nodeId: 'b', name: 'slow', at: iso(2) },
  { type: 'node_started', runId: 'r1', nodeId: 'c', name: 'fast', at: iso(2) },
  { type: 'node_finished', runId: 'r1', nodeId: 'c', name: 'fast', rows: 3, durationMs: 100, cached: false, at: iso(102) },
  { type: 'node_failed', runId: 'r1', nodeId: 'b', name: 'slow', error: 'boom', durationMs: 400, at: iso(402) },
  { type: 'node_skipped', runId: 'r1', nodeId: 'd', name: 'joined', reason: 'upstream node "slow" did not finish' },
];
const inputs: Record<string, string[]> = { a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: ['d'] };
const inputsOf = (id: string) => inputs[id] ?? [];
const play = (events: RunEvent[], s: RunSnapshot = beginRun('p.weir.json')) => events.reduce((acc, e) => reduceRun(acc, 'p.weir.json', e, t0), s);

describe('the timeline of a run', () => {
  it('live from events: a bar per node that started (ms from the run start), in order of start; the rest without a bar', () => {
    const m = timelineModel(play(run), inputsOf, t0 + 500);
    expect(m.bars.map((b) => [b.name, b.start, b.end, b.status, b.cached])).toEqual([
      ['lots', 0, 1, 'done', true],
      ['slow', 2, 402, 'failed', false],
      ['fast', 2, 102, 'done', false],
    ]);
    expect(m.idle.map((n) => [n.name, n.status])).toEqual([
      ['joined', 'skipped'],
      ['out', 'queued'],
    ]);
    // two nodes ran at once: two lanes; the failed node is the longest chain
    expect(m.lanes).toBe(2);
    expect(m.critical.ids).toEqual(['a', 'b']);
    expect(m.bars.filter((b) => b.critical).map((b) => b.name)).toEqual(['lots', 'slow']);
    expect(m.span).toBe(402);
  });

  it('a running node grows until now', () => {
    const m = timelineModel(play(run.slice(0, 5)), inputsOf, t0 + 250);
    const slow = m.bars.find((b) => b.name === 'slow')!;
    expect([slow.running, slow.end]).toEqual([true, 250]);
  });

  it('a past run from its record (version 3 node times); a record without them says so instead of guessing', () => {
    const record: RunRecord = fakeRecord(1, {
      startedAt: iso(0),
      nodes: [
        { id: 'a', name: 'lots', kind: 'seed', status: 'done', rows: 3, durationMs: 1, outputHash: null, cached: true, startedAt: iso(10), finishedAt: iso(11) },
        { id: 'c', name: 'fast', kind: 'sql', status: 'done', rows: 3, durationMs: 30, outputHash: null, cached: false, startedAt: iso(12), finishedAt: iso(42) },
        { id: 'd', name: 'joined', kind: 'sql', status: 'skipped', rows: null, durationMs: 0, outputHash: null, cached: false },
      ],
    });
    const past = timelineModel(fromRecord('p.weir.json', record), inputsOf, t0 + 99_999);
    expect(past.bars.map((b) => [b.name, b.start, b.end, b.cached, b.critical])).toEqual([
      ['lots', 10, 11, true, true],
      ['fast', 12, 42, false, true],
    ]);
    expect(past.idle.map((n) => n.name)).toEqual(['joined']);
    expect(past.untimed).toBe(false);
    const old = { ...record, nodes: record.nodes.map(({ startedAt: _s, finishedAt: _f, ...n }) => n) };
    expect(timelineModel(fromRecord('p.weir.json', old), inputsOf, t0).untimed).toBe(true);
  });

  it("the finished run's record gives the final times over the events'", () => {
    const live = play([...run, { type: 'run_finished', runId: 'r1', status: 'failed', durationMs: 410, recordPath: null, at: iso(410) }]);
    const record = fakeRecord(1, { runId: 'r1', nodes: [{ id: 'c', name: 'fast', kind: 'sql', status: 'done', rows: 3, durationMs: 100, outputHash: null, cached: false, startedAt: iso(3), finishedAt: iso(103) }] });
    const m = timelineModel(withRecord(live, record), inputsOf, t0);
    expect(m.bars.find((b) => b.name === 'fast')).toMatchObject({ start: 3, end: 103 });
  });
});

describe("the run's own edges", () => {
  // The run: a -> b (400 ms), a -> c (100 ms). The document since: b reads nothing, c reads a.
  const edited = [
    { id: 'a', inputs: [] },
    { id: 'b', inputs: [] },
    { id: 'c', inputs: ['a'] },
  ];
  const started: RunEvent = {
    type: 'run_started',
    runId: 'r1',
    pipeline: 'p',
    nodes: [
      { id: 'a', name: 'lots', kind: 'seed', inputs: [] },
      { id: 'b', name: 'slow', kind: 'sql', inputs: ['a'] },
      { id: 'c', name: 'fast', kind: 'sql', inputs: ['a'] },
    ],
    at: iso(0),
  };

  it('live: the critical path follows what run_started said each node read, not the edited document', () => {
    const live = play([started, ...run.slice(1)]);
    expect(live.nodes.b!.upstream).toEqual(['a']);
    const m = timelineModel(live, runInputsOf(live.nodes, edited), t0 + 500);
    expect(m.critical.ids).toEqual(['a', 'b']);
    // With the document's edges it would be b alone (it reads nothing there): the old behaviour.
    const docOnly = new Map(edited.map((n) => [n.id, n.inputs]));
    expect(timelineModel(live, (id) => docOnly.get(id) ?? [], t0 + 500).critical.ids).toEqual(['b']);
  });

  it("a past run: its record's upstream; a record without them falls back to the document", () => {
    const node = (id: string, name: string, from: number, to: number, upstream?: string[]) => ({ id, name, kind: 'sql', status: 'done' as const, rows: 1, durationMs: to - from, outputHash: null, cached: false, startedAt: iso(from), finishedAt: iso(to), ...(upstream ? { upstream } : {}) });
    const record: RunRecord = fakeRecord(1, { startedAt: iso(0), nodes: [node('a', 'lots', 0, 10, []), node('b', 'slow', 10, 410, ['a']), node('c', 'fast', 10, 110, ['a'])] });
    const past = fromRecord('p.weir.json', record);
    expect(timelineModel(past, runInputsOf(past.nodes, edited), t0).critical.ids).toEqual(['a', 'b']);
    const older: RunRecord = { ...record, nodes: record.nodes.map(({ upstream: _u, ...n }) => n) };
    const pastOld = fromRecord('p.weir.json', older);
    expect(pastOld.nodes.b!.upstream).toBeNull();
    expect(timelineModel(pastOld, runInputsOf(pastOld.nodes, edited), t0).critical.ids).toEqual(['b']);
  });
});

describe('the time axis', () => {
  it('ticks at 1, 2 or 5 times a power of ten, labelled in ms or s', () => {
    expect(timeTicks(402)).toEqual({ step: 100, ticks: [0, 100, 200, 300, 400] });
    expect(timeTicks(9_000).step).toBe(2000);
    expect(timeTicks(1).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    // ms in a run under a second; seconds to the step's precision in a longer one
    expect(offsetLabel(200, 100, 402)).toBe('200 ms');
    expect(offsetLabel(4000, 2000, 9000)).toBe('4 s');
    expect(offsetLabel(1500, 500, 2100)).toBe('1.5 s');
    expect(offsetLabel(250, 50, 1200)).toBe('0.25 s');
  });
});
