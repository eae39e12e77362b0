import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../shared/run/events';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { writeFile } from 'node:fs/promises';
import { makeService, makeWorkspace, samplePipeline } from './fixture';

let ws: Awaited<ReturnType<typeof makeWorkspace>>;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

const path = 'pipelines/release.weir.json';

async function until<T>(get: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const runEvents = (events: { name: string; payload: unknown }[]) =>
  events.filter((e) => e.name === 'run.event').map((e) => (e.payload as { event: RunEvent }).event);

describe('running from the API', () => {
  it('runs the saved file with the engine, streaming events, and lists the run record', async () => {
    const { call, events } = makeService(ws.home);
    const { runId } = await call('pipeline.run', { root: ws.root, path });
    const finished = await until(() => runEvents(events).find((e) => e.type === 'run_finished'), 'run_finished');
    expect(finished).toMatchObject({ runId, status: 'succeeded' });
    const types = runEvents(events).map((e) => e.type);
    expect(types[0]).toBe('run_started');
    expect(types.filter((t) => t === 'node_finished')).toHaveLength(3);
    expect(events.find((e) => e.name === 'run.event')?.payload).toMatchObject({ root: ws.root, path });
    expect(await readFile(join(ws.root, 'data/curated/passing.csv'), 'utf8')).toContain('B3');

    const { runs } = await call('runs.list', { root: ws.root });
    expect(runs).toEqual([expect.objectContaining({ runId, pipeline: 'release', status: 'succeeded', nodes: 3, failedNodes: 0, file: path })]);
    const { record } = await call('runs.get', { root: ws.root, runId });
    expect(record.nodes.find((n: { name: string }) => n.name === 'passing').rows).toBe(2);
    await expect(call('runs.get', { root: ws.root, runId: 'nope' })).rejects.toThrow(/no run record "nope"/);
  });

  it('refuses to start a file that cannot run, with the one-line reason', async () => {
    const { call } = makeService(ws.home);
    await expect(call('pipeline.run', { root: ws.root, path: 'pipelines/broken.weir.json' })).rejects.toThrow(/malformed JSON/);
  });

  it('cancels a run in progress', async () => {
    const p = samplePipeline();
    p.nodes[1]!.config = { materialize: 'table', sql: ['select count(*) as n from range(20000000000) a'] };
    p.nodes[1]!.inputs = [];
    p.nodes = p.nodes.slice(0, 2);
    p.layout = {};
    await writeFile(join(ws.root, 'pipelines', 'slow.weir.json'), serializePipeline(p));
    const { call, events } = makeService(ws.home);
    const { runId } = await call('pipeline.run', { root: ws.root, path: 'pipelines/slow.weir.json' });
    await until(() => runEvents(events).find((e) => e.type === 'node_started' && e.name === 'passing'), 'the slow node to start');
    expect(await call('run.cancel', { runId })).toEqual({ cancelled: true });
    const finished = await until(() => runEvents(events).find((e) => e.type === 'run_finished'), 'run_finished');
    expect(finished).toMatchObject({ status: 'cancelled' });
    expect(await call('run.cancel', { runId })).toEqual({ cancelled: false });
  });
});

describe('preview from the API', () => {
  it('previews a node of the unsaved pipeline', async () => {
    const { call } = makeService(ws.home);
    const p = samplePipeline();
    p.nodes[1]!.config = { materialize: 'auto', sql: ['select lot from lots where viability < 70'] };
    const r = await call('pipeline.preview', { root: ws.root, path, pipeline: p, nodeId: 'passing', limit: 10 });
    expect(r.columns).toEqual([{ name: 'lot', type: 'VARCHAR' }]);
    expect(r.rows).toEqual([['B2']]);
    expect(r.rowCount).toBe(1);
  });

  it('says which node failed, and where', async () => {
    const { dispatch } = makeService(ws.home);
    const p = samplePipeline();
    p.nodes[1]!.config = { materialize: 'auto', sql: ['select lot', 'from lots', 'where nope > 1'] };
    const r = await dispatch('pipeline.preview', { root: ws.root, path, pipeline: p, nodeId: 'passing' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'node', message: expect.stringMatching(/^node "passing"/) } });
  });
});
