import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runEvent, type RunEvent } from '../../../shared/run/events';
import { readRunRecord } from '../../../shared/run/formats';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { writeFile } from 'node:fs/promises';
import { listRuns } from '../../../src-main/api/runs';
import { makeService, makeWorkspace, samplePipeline } from './fixture';
import { fakeRecord } from '../audit/fake-record';

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
    const { call, events } = makeService(ws.home, { open: ws.root });
    const { runId } = await call('pipeline.run', { root: ws.root, path });
    const finished = await until(() => runEvents(events).find((e) => e.type === 'run_finished'), 'run_finished');
    expect(finished).toMatchObject({ runId, status: 'succeeded' });
    const types = runEvents(events).map((e) => e.type);
    expect(types[0]).toBe('run_started');
    expect(types.filter((t) => t === 'node_finished')).toHaveLength(3);
    expect(events.find((e) => e.name === 'run.event')?.payload).toMatchObject({ root: ws.root, path });
    expect(await readFile(join(ws.root, 'data/curated/passing.csv'), 'utf8')).toContain('B3');
    // What the engine emitted and wrote fits the versioned schemas (shared/run/).
    for (const e of runEvents(events)) expect(runEvent.safeParse(e).error, e.type).toBeUndefined();
    const recordPath = (finished as { recordPath: string }).recordPath;
    expect(readRunRecord(JSON.parse(await readFile(recordPath, 'utf8'))).value).toMatchObject({ runId, version: 3 });

    const { runs } = await call('runs.list', { root: ws.root });
    expect(runs).toEqual([expect.objectContaining({ runId, pipeline: 'release', status: 'succeeded', nodes: 3, failedNodes: 0, file: path, audited: true })]);
    const { record } = await call('runs.get', { root: ws.root, runId });
    expect(record.nodes.find((n: { name: string }) => n.name === 'passing').rows).toBe(2);
    await expect(call('runs.get', { root: ws.root, runId: 'nope' })).rejects.toThrow(/no run record "nope"/);
  });

  it('refuses to start a file that cannot run, with the one-line reason', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    await expect(call('pipeline.run', { root: ws.root, path: 'pipelines/broken.weir.json' })).rejects.toThrow(/malformed JSON/);
  });

  it('says in words that a partitioned pipeline has no lot to run, not "the run ended before it started"', async () => {
    // A fresh copy of the template's release_by_lot: its lot folders are generated, not shipped.
    const lots: Pipeline = {
      format: 'weir.pipeline',
      version: 1,
      name: 'by_lot',
      params: {},
      partitions: { key: 'batch_id', sources: { src: { path: 'data/lots/{batch_id}/batch.csv' } } },
      nodes: [{ id: 'src', name: 'raw_batches', kind: 'file_source', inputs: [], config: { path: 'data/lots/*/batch.csv', format: 'csv' } }],
      layout: {},
    };
    await writeFile(join(ws.root, 'pipelines', 'by_lot.weir.json'), serializePipeline(lots));
    const { call } = makeService(ws.home, { open: ws.root });
    const refused = await call('pipeline.run', { root: ws.root, path: 'pipelines/by_lot.weir.json' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'usage', message: expect.stringMatching(/^No lot to run: the sources list no lot by batch_id \(/) });
  });

  it('cancels a run in progress', async () => {
    const p = samplePipeline();
    p.nodes[1]!.config = { materialize: 'table', sql: ['select count(*) as n from range(20000000000) a'] };
    p.nodes[1]!.inputs = [];
    p.nodes = p.nodes.slice(0, 2);
    p.layout = {};
    await writeFile(join(ws.root, 'pipelines', 'slow.weir.json'), serializePipeline(p));
    const { call, events } = makeService(ws.home, { open: ws.root });
    const { runId } = await call('pipeline.run', { root: ws.root, path: 'pipelines/slow.weir.json' });
    await until(() => runEvents(events).find((e) => e.type === 'node_started' && e.name === 'passing'), 'the slow node to start');
    expect(await call('run.cancel', { runId })).toEqual({ cancelled: true });
    const finished = await until(() => runEvents(events).find((e) => e.type === 'run_finished'), 'run_finished');
    expect(finished).toMatchObject({ status: 'cancelled' });
    expect(await call('run.cancel', { runId })).toEqual({ cancelled: false });
  });
});

describe('run history where the engine records the runs', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'weir-api-history-'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  /** Creates a pipeline as the designer does (pipeline.create, then a save), runs it, waits for the end. */
  async function createAndRun(root: string) {
    const { call, events } = makeService(ws.home, { open: root });
    const doc = await call('pipeline.create', { root, name: 'assays' });
    expect(doc.path).toBe('pipelines/assays.weir.json');
    const nodes = samplePipeline().nodes.slice(0, 2);
    await call('pipeline.save', { root, path: doc.path, pipeline: { ...doc.pipeline, nodes }, expectSha256: doc.sha256 });
    const { runId } = await call('pipeline.run', { root, path: doc.path });
    const finished = await until(() => runEvents(events).find((e) => e.type === 'run_finished'), 'run_finished');
    expect(finished).toMatchObject({ runId, status: 'succeeded' });
    return { call, runId, path: doc.path as string, recordPath: (finished as { recordPath: string }).recordPath };
  }

  it('lists and reads the run of a new pipeline in a folder without weir.workspace.json', async () => {
    const root = join(base, 'plain');
    await mkdir(root);
    const { call, runId, path: file, recordPath } = await createAndRun(root);
    // With no workspace file the engine's workspace is the pipeline's own folder: that is where the record is.
    expect(recordPath).toBe(join(root, 'pipelines', '.weir', 'runs', `${runId}.json`));
    const { runs } = await call('runs.list', { root });
    expect(runs).toEqual([expect.objectContaining({ runId, pipeline: 'assays', status: 'succeeded', nodes: 2, file })]);
    const { record } = await call('runs.get', { root, runId });
    expect(record).toMatchObject({ runId, pipeline: { name: 'assays', file } });
    expect(record.nodes.find((n: { name: string }) => n.name === 'passing').rows).toBe(2);
  });

  it('lists and reads the run of a folder that sits inside a parent workspace, and only its own runs', async () => {
    await writeFile(join(base, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }));
    const root = join(base, 'team');
    await mkdir(root);
    const other = join(base, 'other');
    await mkdir(other);
    const mine = await createAndRun(root);
    const theirs = await createAndRun(other);
    expect(mine.recordPath).toBe(join(base, '.weir', 'runs', `${mine.runId}.json`));
    const { runs } = await mine.call('runs.list', { root });
    expect(runs).toEqual([expect.objectContaining({ runId: mine.runId, file: 'pipelines/assays.weir.json' })]);
    const { record } = await mine.call('runs.get', { root, runId: mine.runId });
    expect(record.pipeline.file).toBe('pipelines/assays.weir.json');
    expect((await theirs.call('runs.list', { root: other })).runs).toEqual([expect.objectContaining({ runId: theirs.runId })]);
  });
});

describe('run history: the newest runs across record folders', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'weir-api-newest-'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  /** A record as the engine writes it, at minute `minute` of a day. */
  async function record(wsRoot: string, file: string, minute: number, folder = join('.weir', 'runs')) {
    const startedAt = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
    const runId = `${startedAt.replace(/[-:]/g, '')}-${String(minute).padStart(6, '0')}`;
    const r = fakeRecord(minute, { runId, pipeline: { name: 'p', file, sha256: '0'.repeat(64), gitCommit: null, gitDirty: null }, startedAt, nodes: [] });
    await mkdir(join(wsRoot, folder), { recursive: true });
    await writeFile(join(wsRoot, folder, `${runId}.json`), JSON.stringify(r));
    return runId;
  }

  it('lists the runs the audit trail refused, marked, and names the files it skipped', async () => {
    const root = join(base, 'ws');
    await mkdir(root);
    await writeFile(join(root, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: {} }));
    const audited = await record(root, 'p.weir.json', 1);
    const apart = await record(root, 'p.weir.json', 2, join('.weir', 'runs', 'unaudited'));
    await writeFile(join(root, '.weir', 'runs', '20260101T000300.000Z-junk.json'), '{ half written');
    await writeFile(join(root, '.weir', 'runs', '20260101T000400.000Z-next.json'), JSON.stringify({ format: 'weir.run', version: 7 }));
    const { call } = makeService(ws.home, { open: root });
    const listing = await call('runs.list', { root });
    expect(listing.runs.map((r: { runId: string; audited: boolean }) => [r.runId, r.audited])).toEqual([
      [apart, false],
      [audited, true],
    ]);
    expect(listing.skipped).toEqual([
      { file: '.weir/runs/20260101T000400.000Z-next.json', reason: expect.stringMatching(/^written by a newer Weir \(run record version 7\)/) },
      { file: '.weir/runs/20260101T000300.000Z-junk.json', reason: 'not valid JSON (a half-written or foreign file)' },
    ]);
    expect((await call('runs.get', { root, runId: apart })).record.runId).toBe(apart);
    // A unique prefix names a run too.
    expect((await call('runs.get', { root, runId: audited.slice(0, -2) })).record.runId).toBe(audited);
    await expect(call('runs.get', { root, runId: '2026' })).rejects.toThrow(/"2026" matches 4 run record files \(.*…\): give more of the run id/);
  });

  it('merges the record folders of several pipeline folders, newest first', async () => {
    const root = join(base, 'plain');
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    const pipeline = serializePipeline(samplePipeline());
    for (const dir of [a, b]) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'p.weir.json'), pipeline);
    }
    // Folder a has the oldest and the newest runs; b those in between; a's newest name is not a record.
    const ids: Record<number, string> = {};
    for (const m of [1, 2, 9]) ids[m] = await record(a, 'p.weir.json', m);
    for (const m of [3, 4, 5]) ids[m] = await record(b, 'p.weir.json', m);
    await writeFile(join(a, '.weir', 'runs', '29991231T000000.000Z-junk.json'), '{ half written');
    const newest = async (limit: number) => (await listRuns(root, limit)).runs.map((r) => r.runId);
    expect(await newest(3)).toEqual([ids[9], ids[5], ids[4]]);
    expect(await newest(5)).toEqual([ids[9], ids[5], ids[4], ids[3], ids[2]]);
    expect(await newest(100)).toEqual([9, 5, 4, 3, 2, 1].map((m) => ids[m]));
    expect((await listRuns(root, 1)).runs[0]).toMatchObject({ file: 'a/p.weir.json' });
  });

  it("reads past a parent workspace's newer runs of other folders", async () => {
    await writeFile(join(base, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: {} }));
    const root = join(base, 'team');
    await mkdir(root);
    const mine = [await record(base, 'team/p.weir.json', 1), await record(base, 'team/p.weir.json', 2)];
    for (const m of [3, 4, 5, 6]) await record(base, 'other/p.weir.json', m);
    expect((await listRuns(root, 2)).runs.map((r) => r.runId)).toEqual([mine[1], mine[0]]);
    expect((await listRuns(root, 1)).runs.map((r) => r.runId)).toEqual([mine[1]]);
  });
});

describe('preview from the API', () => {
  it('previews a node of the unsaved pipeline', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const p = samplePipeline();
    p.nodes[1]!.config = { materialize: 'auto', sql: ['select lot from lots where viability < 70'] };
    const r = await call('pipeline.preview', { root: ws.root, path, pipeline: p, nodeId: 'passing', limit: 10 });
    expect(r.columns).toEqual([{ name: 'lot', type: 'VARCHAR' }]);
    expect(r.rows).toEqual([['B2']]);
    expect(r.rowCount).toBe(1);
  });

  it('says which node failed, and where', async () => {
    const { dispatch } = makeService(ws.home, { open: ws.root });
    const p = samplePipeline();
    p.nodes[1]!.config = { materialize: 'auto', sql: ['select lot', 'from lots', 'where nope > 1'] };
    const r = await dispatch('pipeline.preview', { root: ws.root, path, pipeline: p, nodeId: 'passing' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'node', message: expect.stringMatching(/^node "passing"/) } });
  });
});
