import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LakeSinkConfig } from '../../../shared/nodes/lake-sink';
import { commitLakeOutput, discardLakeOutput, stageLakeOutput, type StagedLake } from '../../../src-main/engine/nodes/lake-sink/publish';
import type { LocalFile } from '../../../src-main/engine/nodes/lake-sink/local-output';
import { runPipelineFile } from '../../support/engine';
import { fileSha256 } from '../../../src-main/engine/storage/file-hash';
import { danglingEntry, readManifest, serializeManifest } from '../../../src-main/engine/storage/lake-manifest';
import { S3ObjectStore } from '../../../src-main/engine/storage/s3-store';
import { startFaultProxy, type FaultAction, type FaultProxy } from '../../support/fault-proxy';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';
import { listKeys, query, sqlString } from './support';

const BUCKET = uniqueBucket('lake');
const MANIFEST_PUT = { method: 'PUT', path: /\/_manifest\.json$/ };
type Mode = LakeSinkConfig['mode'];

describe('lake outputs survive an uncertain manifest write', () => {
  let s3: S3TestServer;
  let proxy: FaultProxy;
  /** Through the fault proxy, as the sink sees the lake. */
  let store: S3ObjectStore;
  /** Straight to the server, for checking. */
  let direct: S3ObjectStore;
  const work = tempDir('weir-uncertain-');
  let caseNo = 0;

  const spec = (endpoint: string) =>
    ({ kind: 's3', bucket: BUCKET, endpoint, region: 'us-east-1', force_path_style: true, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY, root: '' }) as const;

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    proxy = await startFaultProxy(s3.endpoint);
    store = new S3ObjectStore('lake', spec(proxy.endpoint), { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    direct = new S3ObjectStore('lake', spec(s3.endpoint));
    writeFileSync(
      join(work, 'weir.workspace.json'),
      JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: { lake: { ...spec(s3.endpoint), root: undefined } } } } }),
    );
  });
  afterAll(async () => {
    store?.destroy();
    direct?.destroy();
    await proxy?.close();
    await s3?.stop();
  });
  beforeEach(() => {
    proxy.clear();
    proxy.conditionalPuts = 'ignore';
  });

  /** A Parquet file of `rows` rows, as the sink's local output. */
  async function localFiles(rows: number): Promise<LocalFile[]> {
    const path = join(work, `part-${caseNo}-${rows}-${Math.random().toString(36).slice(2)}.parquet`);
    await query(`COPY (SELECT i FROM range(${rows}) t(i)) TO ${sqlString(path)} (FORMAT parquet)`);
    const { sha256, size } = await fileSha256(path);
    return [{ rel: 'data_0.parquet', path, size, sha256 }];
  }

  function config(mode: Mode, dir: string): LakeSinkConfig {
    return { connection: 'lake', path: dir, format: 'parquet', partition_by: [], order_by: [], mode, keep_previous: 1 };
  }

  async function stage(dir: string, runId: string, rows: number, mode: Mode, signal = new AbortController().signal): Promise<StagedLake> {
    return stageLakeOutput({ store, dir, runId, nodeName: 'out', config: config(mode, dir), files: await localFiles(rows), rows, signal, warn: () => {} });
  }

  async function publish(dir: string, runId: string, rows: number, mode: Mode): Promise<void> {
    await commitLakeOutput(await stage(dir, runId, rows, mode));
  }

  /** Rows that Weir's own lake_source reads from the output, or its one-line error. */
  async function readRows(dir: string): Promise<number | string> {
    const file = join(work, `read-${++caseNo}.weir.json`);
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir.pipeline',
        version: 1,
        name: 'read_back',
        nodes: [{ id: 'src', name: 'readings', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: dir, format: 'parquet' } }],
      }),
    );
    const run = await runPipelineFile({ file, useCache: false, recordDir: null });
    if (run.error) return run.error.message;
    return run.record.nodes.find((n) => n.name === 'readings')!.rows!;
  }

  /** Every file the live manifest names exists with its size; returns the manifest's run id. */
  async function completeOutput(dir: string): Promise<string> {
    const live = await readManifest(direct, dir);
    expect(live).not.toBeNull();
    expect(await danglingEntry(direct, dir, live!.manifest)).toBeNull();
    return live!.manifest.run_id;
  }

  const faults: { name: string; action: FaultAction; applied: boolean }[] = [
    { name: 'the store applied it and the answer was lost', action: { kind: 'drop-response' }, applied: true },
    { name: 'the store applied it and answered 500', action: { kind: 'error-after-apply' }, applied: true },
    { name: 'the store answered 500 without applying it', action: { kind: 'answer', status: 500, body: '<Error><Code>InternalError</Code><Message>boom</Message></Error>' }, applied: false },
  ];

  describe.each(['overwrite', 'append'] as const)('%s mode', (mode) => {
    const after = (applied: boolean) => (applied ? (mode === 'append' ? 3 + 5 : 5) : 3);

    it.each(faults)('when $name, the commit reports the truth and the output stays complete', async ({ name, action, applied }) => {
      const dir = `out/${mode}-${faults.findIndex((f) => f.name === name)}/`;
      await publish(dir, 'run-a', 3, mode);
      const staged = await stage(dir, 'run-b', 5, mode);
      proxy.add({ ...MANIFEST_PUT, action });

      const outcome = await commitLakeOutput(staged, { settleMs: 20 }).then(
        (r) => ({ published: r.published, thenCancelled: r.thenCancelled }),
        (e: Error) => e.message,
      );
      proxy.clear();
      if (applied) {
        expect(outcome).toEqual({ published: true, thenCancelled: false });
        expect(staged.state).toBe('committed');
      } else {
        expect(outcome).toMatch(new RegExp(`InternalError: boom.*; s3://${BUCKET}/out/.*/_manifest\\.json was not published$`));
        expect(staged.state).toBe('staged');
      }
      // What the lead's publish phase does after a failure: discard what did not publish.
      await discardLakeOutput(staged);

      expect(await completeOutput(dir)).toBe(applied ? 'run-b' : 'run-a');
      expect(await readRows(dir)).toBe(after(applied));
      expect((await listKeys(s3, BUCKET, `${dir}_runs/run-b/`)).length).toBe(applied ? 1 : 0);
      // A later append extends a complete manifest.
      if (mode === 'append') {
        await publish(dir, 'run-c', 2, mode);
        expect(await readRows(dir)).toBe(after(applied) + 2);
      }
    });

    it('a cancel while a slow manifest write is applied reports "published, then cancelled"', async () => {
      const dir = `out/${mode}-cancel-applied/`;
      await publish(dir, 'run-a', 3, mode);
      const controller = new AbortController();
      const staged = await stage(dir, 'run-b', 5, mode, controller.signal);
      proxy.add({ ...MANIFEST_PUT, action: { kind: 'delay-response', ms: 1500 }, onMatch: () => setTimeout(() => controller.abort(), 100) });

      const started = Date.now();
      const r = await commitLakeOutput(staged, { signal: controller.signal, settleMs: 20 });
      expect(Date.now() - started).toBeLessThan(1400); // the cancel did not wait for the answer
      expect(r).toMatchObject({ published: true, thenCancelled: true });
      await discardLakeOutput(staged); // a no-op once committed
      expect(await completeOutput(dir)).toBe('run-b');
      expect(await readRows(dir)).toBe(after(true));
    });

    it('a cancel while a slow manifest write has not reached the store publishes nothing', async () => {
      const dir = `out/${mode}-cancel-unapplied/`;
      await publish(dir, 'run-a', 3, mode);
      const controller = new AbortController();
      const staged = await stage(dir, 'run-b', 5, mode, controller.signal);
      proxy.add({ ...MANIFEST_PUT, action: { kind: 'delay-request', ms: 1500 }, onMatch: () => setTimeout(() => controller.abort(), 100) });

      await expect(commitLakeOutput(staged, { signal: controller.signal, settleMs: 20 })).rejects.toThrow(/^cancelled$/);
      await discardLakeOutput(staged);
      expect(await completeOutput(dir)).toBe('run-a');
      expect(await readRows(dir)).toBe(3);
      expect(await listKeys(s3, BUCKET, `${dir}_runs/run-b/`)).toEqual([]);
      // The held request is dropped, not forwarded late, once its client left.
      await new Promise((resolve) => setTimeout(resolve, 1600));
      expect(await completeOutput(dir)).toBe('run-a');
    });
  });

  it('when neither the write nor the read-back can be answered, the run says so and keeps its files', async () => {
    const dir = 'out/unknown/';
    await publish(dir, 'run-a', 3, 'overwrite');
    const staged = await stage(dir, 'run-b', 5, 'overwrite');
    // From the write on, reading the manifest fails too (the commit's own check before it reads fine).
    const manifestGet = { method: 'GET', path: /\/_manifest\.json$/, action: { kind: 'drop-response' } } as const;
    proxy.add({ ...MANIFEST_PUT, action: { kind: 'drop-response' }, onMatch: () => proxy.add(manifestGet) });

    await expect(commitLakeOutput(staged, { settleMs: 20 })).rejects.toThrow(
      new RegExp(`^cannot tell whether s3://${BUCKET}/out/unknown/_manifest\\.json was published \\(.*reading it back failed too\\); this run's files under s3://${BUCKET}/out/unknown/_runs/run-b/ are kept`),
    );
    expect(staged.state).toBe('uncertain');
    await discardLakeOutput(staged); // must not delete: the write did in fact land
    proxy.clear();
    expect(await completeOutput(dir)).toBe('run-b');
    expect(await readRows(dir)).toBe(5);
  });

  it('discarding never deletes files the live manifest names', async () => {
    const dir = 'out/late-write/';
    await publish(dir, 'run-a', 3, 'overwrite');
    const staged = await stage(dir, 'run-b', 5, 'overwrite');
    // As if the manifest write landed after the run had concluded it had not.
    await direct.putBytes(`${dir}_manifest.json`, serializeManifest(staged.manifest));
    await discardLakeOutput(staged);
    expect(await completeOutput(dir)).toBe('run-b');
    expect(await readRows(dir)).toBe(5);
  });

  it('refuses to commit when another run published after stage read the manifest', async () => {
    const dir = 'out/raced/';
    await publish(dir, 'run-a', 3, 'overwrite');
    const staged = await stage(dir, 'run-b', 5, 'overwrite');
    await publish(dir, 'run-c', 7, 'overwrite');
    await expect(commitLakeOutput(staged)).rejects.toThrow(
      `s3://${BUCKET}/out/raced/_manifest.json was changed by another run while this one was writing; nothing was published, run again`,
    );
    await discardLakeOutput(staged);
    expect(await completeOutput(dir)).toBe('run-c');
    expect(await listKeys(s3, BUCKET, `${dir}_runs/run-b/`)).toEqual([]);
  });

  it('refuses to commit when its staged files were removed meanwhile (a gc with too short a grace)', async () => {
    const dir = 'out/collected/';
    await publish(dir, 'run-a', 3, 'overwrite');
    const staged = await stage(dir, 'run-b', 5, 'overwrite');
    await direct.delete(staged.uploaded);
    await expect(commitLakeOutput(staged)).rejects.toThrow(new RegExp(`^s3://${BUCKET}/out/collected/_runs/run-b/data_0\\.parquet, uploaded by this run, is gone or changed .*nothing was published`));
    expect(await completeOutput(dir)).toBe('run-a');
  });

  it('lists again before refusing: a listing that trails the upload does not fail the commit', async () => {
    const dir = 'out/lagging/';
    const staged = await stage(dir, 'run-a', 4, 'overwrite');
    // The first listing of the run's folder answers as a lagging server would: without the upload.
    proxy.add({
      method: 'GET',
      path: new RegExp(`^/${BUCKET}/?$`),
      query: /prefix=out%2Flagging%2F_runs%2Frun-a/,
      times: 1,
      action: { kind: 'answer', status: 200, body: `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${BUCKET}</Name><Prefix>out/lagging/_runs/run-a/</Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>` },
    });
    const from = proxy.seen.length;
    await commitLakeOutput(staged);
    expect(proxy.seen.slice(from).filter((r) => r.startsWith('GET') && r.includes('prefix=out%2Flagging%2F_runs%2Frun-a')).length).toBe(2);
    expect(await completeOutput(dir)).toBe('run-a');
  });

  describe('on a store that enforces conditional writes (AWS S3, MinIO)', () => {
    beforeEach(() => {
      proxy.conditionalPuts = 'honour';
    });

    it('publishes the first output with If-None-Match and later ones with If-Match', async () => {
      const dir = 'out/cas/';
      const from = proxy.seen.length;
      await publish(dir, 'run-a', 3, 'overwrite');
      await publish(dir, 'run-b', 4, 'overwrite');
      expect(await completeOutput(dir)).toBe('run-b');
      expect(proxy.seen.slice(from).filter((r) => r.startsWith(`PUT /${BUCKET}/out/cas/_manifest.json`))).toHaveLength(2);
    });

    it('a write that lands between the check and the PUT is refused by the store (412), not overwritten', async () => {
      const dir = 'out/cas-race/';
      await publish(dir, 'run-a', 3, 'overwrite');
      const other = await stage(dir, 'run-c', 7, 'overwrite');
      const staged = await stage(dir, 'run-b', 5, 'overwrite');
      // The other run's manifest goes straight to the server while ours is held at the proxy.
      let racing: Promise<unknown> = Promise.resolve();
      proxy.add({ ...MANIFEST_PUT, times: 1, action: { kind: 'delay-request', ms: 300 }, onMatch: () => (racing = direct.putBytes(`${dir}_manifest.json`, serializeManifest(other.manifest))) });
      await expect(commitLakeOutput(staged, { settleMs: 20 })).rejects.toThrow('was changed by another run while this one was writing; nothing was published');
      await racing;
      await discardLakeOutput(staged);
      expect(await completeOutput(dir)).toBe('run-c');
      expect(await readRows(dir)).toBe(7);
    });

    it("a retry refused with 412 after its first try was applied and lost is recognized as the run's own write", async () => {
      const dir = 'out/cas-retry/';
      await publish(dir, 'run-a', 3, 'append');
      const staged = await stage(dir, 'run-b', 5, 'append');
      proxy.add({ ...MANIFEST_PUT, times: 1, action: { kind: 'drop-response' } });
      expect(await commitLakeOutput(staged)).toMatchObject({ published: true, thenCancelled: false });
      expect(await completeOutput(dir)).toBe('run-b');
      expect(await readRows(dir)).toBe(8);
    });

    it('falls back to read-and-compare when the store answers 501 to conditional writes', async () => {
      proxy.conditionalPuts = 'not-implemented';
      const dir = 'out/cas-501/';
      const s = new S3ObjectStore('lake', spec(proxy.endpoint));
      try {
        const staged = await stageLakeOutput({ store: s, dir, runId: 'run-a', nodeName: 'out', config: config('overwrite', dir), files: await localFiles(3), rows: 3, signal: new AbortController().signal, warn: () => {} });
        expect(await commitLakeOutput(staged)).toMatchObject({ published: true });
        expect(await s.putBytes(`${dir}probe.json`, Buffer.from('{}'), { ifMatch: null })).toMatchObject({ conditional: false });
      } finally {
        s.destroy();
      }
      expect(await completeOutput(dir)).toBe('run-a');
    });
  });

  it('pipeline runs whose manifest answers are lost succeed, and every later append reads complete', async () => {
    // The case found on main: the lost answer made the run delete its files, the manifest
    // named them anyway, and later appends copied the dangling entry forward.
    const writer = tempDir('weir-uncertain-writer-');
    writeFileSync(
      join(writer, 'weir.workspace.json'),
      JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: { lake: { ...spec(proxy.endpoint), root: undefined } } } } }),
    );
    const file = join(writer, 'write.weir.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir.pipeline',
        version: 1,
        name: 'write_readings',
        params: { rows: { type: 'integer', default: 10 } },
        nodes: [
          { id: 'gen', name: 'readings', kind: 'sql', inputs: [], config: { sql: ["select i from range(getvariable('rows')) t(i)"] } },
          { id: 'out', name: 'out_readings', kind: 'lake_sink', inputs: ['gen'], config: { connection: 'lake', path: 'out/pipeline', format: 'parquet', mode: 'append' } },
        ],
      }),
    );
    const run = (rows: number) => runPipelineFile({ file, params: { rows }, useCache: false, recordDir: null });
    expect((await run(1000)).error?.message ?? null).toBeNull();
    proxy.add({ ...MANIFEST_PUT, action: { kind: 'drop-response' } });
    expect((await run(2000)).error?.message ?? null).toBeNull();
    proxy.clear();
    proxy.add({ ...MANIFEST_PUT, action: { kind: 'error-after-apply' } });
    expect((await run(3000)).error?.message ?? null).toBeNull();
    proxy.clear();
    expect(await run(4000)).toMatchObject({ status: 'succeeded' });
    await completeOutput('out/pipeline/');
    expect(await readRows('out/pipeline/')).toBe(10_000);
  });

  describe('append mode validates the manifest it extends', () => {
    it('refuses, before uploading anything, a manifest naming a missing file; lake_source refuses it too', async () => {
      const dir = 'out/dangling/';
      await publish(dir, 'run-a', 3, 'append');
      await direct.delete([`${dir}_runs/run-a/data_0.parquet`]);
      const from = proxy.seen.length;
      await expect(stage(dir, 'run-b', 5, 'append')).rejects.toThrow(
        `cannot append to s3://${BUCKET}/out/dangling/: its _manifest.json names s3://${BUCKET}/out/dangling/_runs/run-a/data_0.parquet, which does not exist; nothing was uploaded`,
      );
      expect(proxy.seen.slice(from).some((r) => r.startsWith('PUT'))).toBe(false);
      expect(await readRows(dir)).toBe('node "readings": connection "lake": out/dangling/_manifest.json names "out/dangling/_runs/run-a/data_0.parquet", which does not exist');
    });

    it('refuses a manifest naming a file of another size', async () => {
      const dir = 'out/resized/';
      await publish(dir, 'run-a', 3, 'append');
      await direct.putBytes(`${dir}_runs/run-a/data_0.parquet`, Buffer.from('not parquet'));
      await expect(stage(dir, 'run-b', 5, 'append')).rejects.toThrow(new RegExp(`names s3://${BUCKET}/out/resized/_runs/run-a/data_0\\.parquet, which has 11 bytes, the manifest says \\d+; nothing was uploaded$`));
    });
  });
});
