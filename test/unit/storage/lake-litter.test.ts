import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderObjectStore } from '../../../src-main/engine/storage/folder-store';
import { lakeLitter, removeLakeLitter } from '../../../src-main/engine/storage/lake-litter';
import { visibleObjects } from '../../../src-main/engine/storage/lake-listing';
import { serializeManifest, type LakeManifest } from '../../../src-main/engine/storage/lake-manifest';
import { S3ObjectStore } from '../../../src-main/engine/storage/s3-store';
import { startFaultProxy } from '../../support/fault-proxy';
import { S3RVER_KEY, startS3Server, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';

const HOUR = 3_600_000;

function manifest(files: string[], superseded: string[]): Buffer {
  const m: LakeManifest = {
    format: 'weir.lake.manifest',
    version: 1,
    run_id: 'r2',
    written_at: '2026-01-01T00:00:00Z',
    file_format: 'parquet',
    partition_by: [],
    mode: 'overwrite',
    rows: 1,
    files: files.map((key) => ({ key, path: key.split('/').pop()!, size: 1, etag: '"e"', run_id: 'r2' })),
    superseded: superseded.length ? [{ run_id: 'r1', keys: superseded }] : [],
  };
  return serializeManifest(m);
}

/** Writes a file under the folder lake, dated `ageMs` ago. */
function put(root: string, key: string, ageMs: number, body: string | Buffer = 'x') {
  const p = join(root, ...key.split('/'));
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, body);
  const t = new Date(Date.now() - ageMs);
  utimesSync(p, t, t);
}

describe('lake litter on a folder lake', () => {
  function lake() {
    const root = tempDir('weir-litter-');
    put(root, 'out/_manifest.json', 2 * HOUR, manifest(['_runs/r2/data_0.parquet'], ['_runs/r1/data_0.parquet']));
    put(root, 'out/_runs/r1/data_0.parquet', 3 * HOUR); // superseded, kept for readers
    put(root, 'out/_runs/r2/data_0.parquet', 2 * HOUR); // live
    put(root, 'out/_runs/r2/stray.parquet', 2 * HOUR); // named by nothing
    put(root, 'out/_runs/r0/data_0.parquet', 5 * HOUR); // a killed run
    put(root, 'out/_runs/r0/site=A/data_0.parquet.weir-tmp-deadbeef', 5 * HOUR); // its half-written file
    put(root, 'out/_runs/cur/data_0.parquet', 2 * HOUR); // the current run: never touched
    put(root, 'out/_runs/r3/old.parquet', 2 * HOUR); // a run still uploading: its newest file is recent
    put(root, 'out/_runs/r3/new.parquet', 60_000);
    put(root, 'out/_manifest.json.weir-tmp-0badcafe', 2 * HOUR); // a manifest write killed half-way
    return { root, store: new FolderObjectStore('lake', root) };
  }

  it('lists objects no manifest names, older than the grace period, outside the current run', async () => {
    const { store } = lake();
    const litter = await lakeLitter(store, 'out/', { exceptRunIds: ['cur'] });
    expect(litter.objects.map((o) => o.key)).toEqual([
      'out/_manifest.json.weir-tmp-0badcafe',
      'out/_runs/r0/data_0.parquet',
      'out/_runs/r0/site=A/data_0.parquet.weir-tmp-deadbeef',
      'out/_runs/r2/stray.parquet',
    ]);
    expect(litter.bytes).toBe(4);
    expect(litter.uploads).toEqual([]);
    expect(litter.notes).toEqual([]);
    // A longer grace period keeps everything younger than it.
    expect((await lakeLitter(store, 'out/', { olderThanMs: 3 * HOUR, exceptRunIds: ['cur'] })).objects.map((o) => o.key)).toEqual([
      'out/_runs/r0/data_0.parquet',
      'out/_runs/r0/site=A/data_0.parquet.weir-tmp-deadbeef',
    ]);
  });

  it('removes it, and what readers see is unchanged', async () => {
    const { root, store } = lake();
    const before = await visibleObjects(store, 'out/');
    const done = await removeLakeLitter(store, 'out/', { exceptRunIds: ['cur'] });
    expect(done.removed).toHaveLength(4);
    expect(done.bytes).toBe(4);
    expect(existsSync(join(root, 'out', '_runs', 'r0'))).toBe(false);
    for (const kept of ['r1/data_0.parquet', 'r2/data_0.parquet', 'cur/data_0.parquet', 'r3/old.parquet', 'r3/new.parquet']) {
      expect(existsSync(join(root, 'out', '_runs', ...kept.split('/')))).toBe(true);
    }
    expect(await visibleObjects(store, 'out/')).toEqual(before);
    expect((await lakeLitter(store, 'out/', { exceptRunIds: ['cur'] })).objects).toEqual([]);
  });

  it('keeps what a manifest published after the listing names', async () => {
    const { root, store } = lake();
    const litter = await lakeLitter(store, 'out/', { exceptRunIds: ['cur'] });
    put(root, 'out/_manifest.json', 0, manifest(['_runs/r0/data_0.parquet'], ['_runs/r2/data_0.parquet']));
    const done = await removeLakeLitter(store, 'out/', { exceptRunIds: ['cur'], litter });
    expect(done.removed.map((o) => o.key)).not.toContain('out/_runs/r0/data_0.parquet');
    expect(existsSync(join(root, 'out', '_runs', 'r0', 'data_0.parquet'))).toBe(true);
  });

  it('lists nothing when the manifest cannot be read: what is live is unknown', async () => {
    const { root, store } = lake();
    put(root, 'out/_manifest.json', 0, '{ not json');
    await expect(lakeLitter(store, 'out/')).rejects.toThrow('out/_manifest.json is not valid JSON');
  });

  it('counts every old run folder as litter where nothing was ever published', async () => {
    const root = tempDir('weir-litter-');
    put(root, 'out/_runs/k1/data_0.parquet', 2 * HOUR);
    const store = new FolderObjectStore('lake', root);
    expect((await lakeLitter(store, 'out/')).objects.map((o) => o.key)).toEqual(['out/_runs/k1/data_0.parquet']);
  });
});

describe('lake litter on S3', () => {
  let s3: S3TestServer;
  const spec = (endpoint: string) =>
    ({ kind: 's3', bucket: 'lake', endpoint, region: 'us-east-1', force_path_style: true, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY, root: '' }) as const;

  beforeAll(async () => {
    s3 = await startS3Server();
    await s3.createBucket('lake');
    await s3.put('lake', 'out/_manifest.json', manifest(['_runs/r2/data_0.parquet'], []));
    await s3.put('lake', 'out/_runs/r2/data_0.parquet', 'x');
    await s3.put('lake', 'out/_runs/r0/data_0.parquet', 'killed');
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it('lists and removes objects; says so when the server cannot list multipart uploads (s3rver)', async () => {
    const store = new S3ObjectStore('lake', spec(s3.endpoint));
    try {
      // s3rver cannot backdate objects: the clock is moved on instead.
      const later = { now: Date.now() + 2 * HOUR };
      expect((await lakeLitter(store, 'out/')).objects).toEqual([]); // everything is younger than an hour
      const litter = await lakeLitter(store, 'out/', later);
      expect(litter.objects.map((o) => o.key)).toEqual(['out/_runs/r0/data_0.parquet']);
      expect(litter.notes).toEqual(['s3://lake/out/: the server cannot list unfinished multipart uploads (ListMultipartUploads not implemented); they were not checked']);
      await removeLakeLitter(store, 'out/', { ...later, litter });
      expect((await store.list('out/')).map((o) => o.key)).toEqual(['out/_manifest.json', 'out/_runs/r2/data_0.parquet']);
    } finally {
      store.destroy();
    }
  });

  it('aborts unfinished multipart uploads older than the grace period, never the current run\'s', async () => {
    // The proxy plays a server that lists uploads (AWS, MinIO).
    const proxy = await startFaultProxy(s3.endpoint);
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const upload = (key: string, id: string, initiated: string) => `<Upload><Key>${key}</Key><UploadId>${id}</UploadId><Initiated>${initiated}</Initiated></Upload>`;
    proxy.add({
      method: 'GET',
      path: /^\/lake\/?$/,
      query: /(^|&)uploads(=|&|$)/,
      action: {
        kind: 'answer',
        status: 200,
        body:
          '<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>lake</Bucket><IsTruncated>false</IsTruncated>' +
          upload('out/_runs/r0/big.parquet', 'old-killed', ago(3 * HOUR)) +
          upload('out/_runs/cur/big.parquet', 'old-current', ago(3 * HOUR)) +
          upload('out/_runs/r5/big.parquet', 'young', ago(60_000)) +
          '</ListMultipartUploadsResult>',
      },
    });
    proxy.add({ method: 'DELETE', path: /\/_runs\//, query: /uploadId=/, action: { kind: 'answer', status: 204 } });
    const store = new S3ObjectStore('lake', spec(proxy.endpoint));
    try {
      const litter = await lakeLitter(store, 'out/', { exceptRunIds: ['cur'] });
      expect(litter.uploads.map((u) => u.uploadId)).toEqual(['old-killed']);
      expect(litter.notes).toEqual([]);
      const done = await removeLakeLitter(store, 'out/', { exceptRunIds: ['cur'], litter });
      expect(done.aborted.map((u) => u.uploadId)).toEqual(['old-killed']);
      expect(proxy.seen.filter((r) => r.startsWith('DELETE'))).toEqual([expect.stringMatching(/^DELETE \/lake\/out\/_runs\/r0\/big\.parquet\?uploadId=old-killed/)]);
    } finally {
      store.destroy();
      await proxy.close();
    }
  });
});
