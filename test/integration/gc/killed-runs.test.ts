import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { treeHashes } from '../../support/find-files';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, type S3TestServer } from '../../support/s3-server';
import { testConnection } from '../../support/duckdb';
import { tempDir } from '../../support/temp-dir';
import { hostTag } from '../../../src-main/engine/storage/owner-tag';
import { getObject, listKeys } from '../lake/support';
import { localLitter, scratchRootIn, sleep, startCli, waitFor, type StartedCli } from './support';

const BUCKET = uniqueBucket('lake');

/**
 * Runs SIGKILLed at chosen and at random points (while a file sink, a partitioned file sink
 * and a lake sink on the S3 test server stage, and during a slow node) leave litter; every
 * previous output stays as it was; the next run removes the local litter, and `weir gc` the
 * lake's. (Issue 13, "A clean house".)
 */

const ROWS = 300_000;
const LAKE_DIR = 'curated/lake/';
const SINK_DIRS = ['curated'];

function pipeline(): object {
  const sql = (lines: string[]) => ({ materialize: 'table', sql: lines });
  return {
    format: 'weir.pipeline',
    version: 1,
    name: 'kill',
    params: { v: { type: 'integer', default: 1 } },
    nodes: [
      { id: 'big', name: 'big', kind: 'sql', inputs: [], config: sql([`select i, md5((i * getvariable('v'))::varchar) as h, i % 7 as part from range(${ROWS}) t(i)`]) },
      { id: 'slow', name: 'slow', kind: 'sql', inputs: ['big'], config: sql(["select count(distinct hash(i * getvariable('v') + r)) as n from big, range(12) s(r)"]) },
      { id: 'out_file', name: 'out_file', kind: 'file_sink', inputs: ['big'], config: { path: 'curated/big.csv', format: 'csv' } },
      { id: 'out_parts', name: 'out_parts', kind: 'file_sink', inputs: ['big'], config: { path: 'curated/parts', format: 'parquet', partition_by: ['part'] } },
      { id: 'out_slow', name: 'out_slow', kind: 'file_sink', inputs: ['slow'], config: { path: 'curated/slow.csv', format: 'csv' } },
      { id: 'out_lake', name: 'out_lake', kind: 'lake_sink', inputs: ['big'], config: { connection: 'lake', path: 'curated/lake', format: 'parquet', partition_by: ['part'] } },
    ],
    layout: {},
  };
}

describe('litter of killed runs', () => {
  let s3: S3TestServer;
  let proxy: FaultProxy;
  let ws: string;
  let tmp: string;
  let file: string;

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    proxy = await startFaultProxy(s3.endpoint);
    ws = tempDir('weir-gc-kill-');
    // The children's temp folder: their scratch and spill folders are looked for here only.
    tmp = tempDir('weir-gc-kill-tmp-');
    mkdirSync(join(ws, 'pipelines'));
    const lake = { kind: 's3', endpoint: proxy.endpoint, bucket: BUCKET, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY };
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: { lake } } } }));
    file = join(ws, 'pipelines', 'kill.weir.json');
    writeFileSync(file, JSON.stringify(pipeline(), null, 2));
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await s3?.stop();
  });

  const run = (v: number) => startCli(['run', file, '--json', '--param', `v=${v}`], { TMPDIR: tmp });
  const gc = (...args: string[]) => startCli(['gc', '--workspace', ws, '--json', ...args], { TMPDIR: tmp }).done;

  const manifest = async () => JSON.parse((await getObject(s3, BUCKET, `${LAKE_DIR}_manifest.json`)).toString('utf8')) as { run_id: string; files: { key: string }[]; superseded: { keys: string[] }[] };
  /** The lake output as readers see it: its manifest, and whether every object it names is there. */
  const lakeOutput = async () => {
    const m = await manifest();
    const keys = new Set(await listKeys(s3, BUCKET, LAKE_DIR));
    return { runId: m.run_id, files: m.files.map((f) => f.key).sort(), complete: m.files.every((f) => keys.has(`${LAKE_DIR}${f.key}`)) };
  };
  /** Objects under `_runs/` that the manifest names neither as files nor as superseded. */
  const lakeLitter = async () => {
    const m = await manifest();
    const named = new Set([...m.files.map((f) => f.key), ...m.superseded.flatMap((s) => s.keys)].map((k) => `${LAKE_DIR}${k}`));
    return (await listKeys(s3, BUCKET, `${LAKE_DIR}_runs/`)).filter((k) => !named.has(k));
  };
  /** The file outputs as readers see them (staging litter left out: it is counted apart). */
  const outputs = () => Object.fromEntries(Object.entries(treeHashes(join(ws, 'curated'))).filter(([k]) => !/(^|\/)\.[^/]*\.weir-[^/]*\.tmp(\.old)?(\/|$)/.test(k)));

  /** The files of each file sink's output, among the output hashes. */
  const SINK_FILES: Record<string, (hashes: Record<string, string>) => string[]> = {
    'big.csv': (h) => Object.keys(h).filter((f) => f === 'big.csv'),
    parts: (h) => Object.keys(h).filter((f) => f.startsWith('parts/')),
    'slow.csv': (h) => Object.keys(h).filter((f) => f === 'slow.csv'),
  };

  /** Whether a file sink's output is a whole output of some run: every row, every file its marker lists. */
  async function whole(name: string): Promise<boolean> {
    const conn = await testConnection();
    const path = join(ws, 'curated', name);
    if (name === 'slow.csv') return Number((await conn.runAndReadAll(`SELECT count(*) FROM read_csv('${path}')`)).getRows()[0]![0]) === 1;
    if (name === 'big.csv') {
      const [n, ids] = (await conn.runAndReadAll(`SELECT count(*), count(DISTINCT i) FROM read_csv('${path}')`)).getRows()[0]!;
      return Number(n) === ROWS && Number(ids) === ROWS;
    }
    const marker = JSON.parse(readFileSync(join(path, '.weir-output.json'), 'utf8')) as { files: string[] };
    const present = Object.keys(treeHashes(path)).filter((f) => f !== '.weir-output.json').sort();
    const [n] = (await conn.runAndReadAll(`SELECT count(*) FROM read_parquet('${path}/*/*.parquet')`)).getRows()[0]!;
    return JSON.stringify(present) === JSON.stringify([...marker.files].sort()) && Number(n) === ROWS;
  }

  /** The run id of a (killed) CLI process, from the marker it left in the workspace. */
  function runIdOf(started: StartedCli): string | null {
    const dir = join(ws, '.weir/live');
    for (const n of readdirSync(dir)) {
      const m = JSON.parse(readFileSync(join(dir, n), 'utf8')) as { runId: string; pid: number };
      if (m.pid === started.child.pid) return m.runId;
    }
    return null;
  }

  async function killWhen(started: StartedCli, ready: () => boolean | Promise<boolean>, what: string): Promise<string> {
    const seen = await waitFor(async () => (await ready()) || started.child.exitCode !== null, 90_000);
    expect(seen, `${what}: not seen`).toBe(true);
    expect(started.child.exitCode, `${what}: the run ended before it could be killed`).toBeNull();
    started.child.kill('SIGKILL');
    const end = await started.done;
    expect(end.signal).toBe('SIGKILL');
    const runId = runIdOf(started);
    expect(runId, `${what}: the run's marker`).not.toBeNull();
    // Its scratch folder stays, named by its run id and its (dead) process.
    expect(localLitter(ws, tmp, SINK_DIRS).scratch).toContainEqual(expect.stringMatching(new RegExp(`^${runId!.replace('.', '\\.')}-w[0-9a-f]{8}-${started.child.pid}-\\w{6}$`)));
    return runId!;
  }

  it('are removed by the next run (local) and by weir gc (lake), and every previous output stays intact', { timeout: 400_000 }, async () => {
    const first = await run(1).done;
    expect(first.code, first.stderr).toBe(0);
    const firstOutputs = outputs();
    let before = firstOutputs;
    let lakeBefore = await lakeOutput();
    expect(lakeBefore.complete).toBe(true);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['big.csv', 'slow.csv', 'parts/.weir-output.json']));

    const intact = async (after: string) => {
      expect(outputs(), `file outputs after ${after}`).toEqual(before);
      expect(await lakeOutput(), `lake output after ${after}`).toEqual(lakeBefore);
    };
    const curated = () => readdirSync(join(ws, 'curated'));

    // Chosen points: each sink kind while it stages, and the slow node. Each killed run's own
    // start removes what the one before left, so litter is checked right after each kill.
    let v = 2;
    const stagingFile = run(v++);
    const r1 = await killWhen(stagingFile, () => curated().some((n) => n.startsWith('.big.csv.weir-')), 'file sink staging');
    expect(localLitter(ws, tmp, SINK_DIRS).staging).toContain(`curated/.big.csv.weir-${r1}.tmp`);
    await intact('a kill while the file sink staged');

    const stagingFolder = run(v++);
    const r2 = await killWhen(stagingFolder, () => curated().some((n) => n.startsWith('.parts.weir-')), 'partitioned sink staging');
    expect(localLitter(ws, tmp, SINK_DIRS).staging).toContain(`curated/.parts.weir-${r2}.tmp`);
    expect(localLitter(ws, tmp, SINK_DIRS).staging).not.toContain(`curated/.big.csv.weir-${r1}.tmp`);
    await intact('a kill while the partitioned sink staged');

    // The lake's uploads are applied but their answers held: the run waits there until killed.
    proxy.add({ method: 'PUT', path: /\/_runs\//, action: { kind: 'delay-response', ms: 5_000 } });
    const lakeUpload = run(v++);
    const r3 = await killWhen(lakeUpload, () => proxy.applied.some((r) => r.startsWith('PUT') && r.includes('/_runs/') && !r.includes(lakeBefore.runId)), 'lake upload');
    proxy.clear();
    expect((await lakeLitter()).some((k) => k.startsWith(`${LAKE_DIR}_runs/${r3}/`))).toBe(true);
    await intact('a kill while the lake sink uploaded');

    const slowNode = run(v++);
    await killWhen(slowNode, () => /"type":"node_started"[^\n]*"name":"slow"/.test(slowNode.stdout()), 'slow node');
    await intact('a kill during the slow node');

    // Random points, from the process's start to its end. A kill in the publish phase may leave
    // some sinks with the killed run's output (the audit trail's intent explains it): each
    // output is then the previous one or a whole new one, never a part.
    const delays: number[] = [];
    for (let k = 0; k < 4; k++) {
      const delay = 800 + Math.floor(Math.random() * 5_000);
      delays.push(delay);
      const started = run(v++);
      await sleep(delay);
      if (started.child.exitCode === null) started.child.kill('SIGKILL');
      await started.done;
      const now = outputs();
      const at = `a kill after ${delay} ms (kills at ${delays.join(', ')} ms)`;
      for (const [name, files] of Object.entries(SINK_FILES)) {
        const changed = files(now).some((f) => now[f] !== before[f]) || files(before).some((f) => now[f] !== before[f]);
        if (changed) expect(await whole(name), `${name} after ${at}`).toBe(true);
      }
      const lakeNow = await lakeOutput();
      expect(lakeNow.complete, `the lake output after ${at}`).toBe(true);
      before = now;
      lakeBefore = lakeNow;
    }
    const lakeLeft = await lakeLitter();
    expect(lakeLeft.length).toBeGreaterThan(0);

    // The next run: no local litter of the killed runs remains, and the outputs are its own.
    const next = await run(1).done;
    expect(next.code, next.stderr).toBe(0);
    expect(localLitter(ws, tmp, SINK_DIRS)).toEqual({ staging: [], cacheTemps: [], scratch: [], spill: [] });
    const again = outputs();
    for (const f of ['big.csv', 'slow.csv']) expect(again[f], f).toBe(firstOutputs[f]);
    expect((await lakeOutput()).complete).toBe(true);
    // The lake's litter is younger than the sinks' grace period: the run left it; gc knows the runs are dead.
    expect((await lakeLitter()).sort()).toEqual(lakeLeft.sort());

    const listed = await gc('--dry-run');
    expect(listed.code, listed.stderr).toBe(0);
    const dry = JSON.parse(listed.stdout) as { items: { kind: string; what: string }[] };
    expect(dry.items.filter((i) => i.kind === 'lake-objects').length).toBeGreaterThan(0);
    expect((await lakeLitter()).sort()).toEqual(lakeLeft.sort()); // a dry run removes nothing

    const swept = await gc();
    expect(swept.code, swept.stderr).toBe(0);
    expect(await lakeLitter()).toEqual([]);
    expect((await lakeOutput()).complete).toBe(true);
    expect(localLitter(ws, tmp, SINK_DIRS)).toEqual({ staging: [], cacheTemps: [], scratch: [], spill: [] });
    expect(readdirSync(scratchRootIn(tmp))).toEqual([]);
    // The record of the next run says it succeeded: the killed runs did not disturb it.
    const record = JSON.parse(readFileSync(join(ws, '.weir/runs', readdirSync(join(ws, '.weir/runs')).filter((n) => n.endsWith('.json')).sort().pop()!), 'utf8')) as { status: string };
    expect(record.status).toBe('succeeded');
    // s3rver cannot list unfinished multipart uploads: gc says so rather than pretending there are none.
    expect((JSON.parse(swept.stdout) as { notes: string[] }).notes).toContainEqual(expect.stringMatching(/cannot list unfinished multipart uploads/));
  });

  it("aborts a dead run's unfinished multipart uploads at once, another run's only after the grace period", { timeout: 60_000 }, async () => {
    // The proxy plays a server that lists uploads (AWS, MinIO); the dead run is one whose marker says its process is gone.
    const dead = `${new Date().toISOString().replace(/[-:]/g, '')}-dead01`;
    mkdirSync(join(ws, '.weir/live'), { recursive: true });
    writeFileSync(join(ws, '.weir/live', `${dead}.json`), JSON.stringify({ runId: dead, host: hostTag(), pid: 2 ** 22 + 1, scratchRoot: scratchRootIn(tmp), startedAt: new Date().toISOString() }));
    const young = `${new Date().toISOString().replace(/[-:]/g, '')}-other1`;
    const upload = (key: string, id: string) => `<Upload><Key>${key}</Key><UploadId>${id}</UploadId><Initiated>${new Date().toISOString()}</Initiated></Upload>`;
    proxy.add({
      method: 'GET',
      path: new RegExp(`^/${BUCKET}/?$`),
      query: /(^|&)uploads(=|&|$)/,
      action: {
        kind: 'answer',
        status: 200,
        body: `<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>${BUCKET}</Bucket><IsTruncated>false</IsTruncated>${upload(`${LAKE_DIR}_runs/${dead}/big.parquet`, 'killed-upload')}${upload(`${LAKE_DIR}_runs/${young}/big.parquet`, 'other-upload')}</ListMultipartUploadsResult>`,
      },
    });
    proxy.add({ method: 'DELETE', path: /\/_runs\//, query: /uploadId=/, action: { kind: 'answer', status: 204 } });
    try {
      const from = proxy.seen.length;
      const swept = await gc();
      expect(swept.code, swept.stderr).toBe(0);
      const report = JSON.parse(swept.stdout) as { items: { kind: string; action: string; runId?: string }[]; notes: string[] };
      expect(report.items.filter((i) => i.kind === 'lake-upload')).toEqual([expect.objectContaining({ action: 'abort', runId: dead })]);
      expect(report.notes).toEqual([]);
      expect(proxy.seen.slice(from).filter((r) => r.startsWith('DELETE') && r.includes('uploadId='))).toEqual([expect.stringMatching(new RegExp(`^DELETE /${BUCKET}/curated/lake/_runs/${dead}/big\\.parquet\\?uploadId=killed-upload`))]);
    } finally {
      proxy.clear();
    }
  });
});
