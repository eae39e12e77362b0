import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../shared/run/events';
import { RunEvents } from '../../../src-main/mcp/door/run-events';
import { runRefusal, summarizeRun } from '../../../src-main/mcp/tools/run';

const at = '2026-12-07T00:00:00.000Z';
const started: RunEvent = { type: 'run_started', runId: 'r1', pipeline: 'p', nodes: [{ id: 'a', name: 'src', kind: 'seed' }, { id: 'b', name: 'out', kind: 'file_sink' }, { id: 'c', name: 'gate', kind: 'check' }], at };
const finished: RunEvent = { type: 'run_finished', runId: 'r1', status: 'failed', durationMs: 12, recordPath: null, at };

describe('the run tool: refusals and the outcome it answers with', () => {
  it('refuses without --allow-run, and with it until the call is confirmed', () => {
    expect(runRefusal(false, true)).toMatch(/^not run: weir mcp was started without --allow-run/);
    expect(runRefusal(false, undefined)).toMatch(/without --allow-run/);
    expect(runRefusal(true, undefined)).toMatch(/call run again with confirm: true/);
    expect(runRefusal(true, false)).toMatch(/confirm: true/);
    expect(runRefusal(true, true)).toBeNull();
  });

  it('keeps the events that came before the tool waited, and answers once the run has finished', async () => {
    const runs = new RunEvents();
    runs.push(started);
    runs.push({ type: 'node_started', runId: 'r1', nodeId: 'a', name: 'src', at });
    const seen: string[] = [];
    let done = false;
    const waiting = runs.finished('r1', (e) => seen.push(e.type)).then((r) => ((done = true), r));
    runs.push({ type: 'node_finished', runId: 'r1', nodeId: 'a', name: 'src', rows: 3, durationMs: 1, cached: false, at });
    // Another run's events are not this one's.
    runs.push({ ...finished, runId: 'r2' });
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
    runs.push({ type: 'node_failed', runId: 'r1', nodeId: 'c', name: 'gate', error: 'check failed', durationMs: 2, at });
    runs.push({ type: 'node_skipped', runId: 'r1', nodeId: 'b', name: 'out', reason: 'upstream failed' });
    runs.push(finished);
    const { events, finished: end } = await waiting;
    expect(end.status).toBe('failed');
    expect(events).toHaveLength(6);
    expect(seen).toEqual(['run_started', 'node_started', 'node_finished', 'node_failed', 'node_skipped', 'run_finished']);
    expect(summarizeRun(events)).toEqual([
      { name: 'src', status: 'done', rows: 3, cached: false, durationMs: 1 },
      { name: 'out', status: 'skipped', reason: 'upstream failed' },
      { name: 'gate', status: 'failed', error: 'check failed', durationMs: 2 },
    ]);
  });

  it('answers at once for a run that had already finished', async () => {
    const runs = new RunEvents();
    runs.push(started);
    runs.push(finished);
    expect((await runs.finished('r1')).finished).toEqual(finished);
  });
});
