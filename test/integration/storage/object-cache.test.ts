import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectCache } from '../../../src-main/engine/storage/object-cache';
import { S3ObjectStore } from '../../../src-main/engine/storage/s3-store';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, startS3Proxy, type S3Proxy, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';

const BUCKET = uniqueBucket('lake');

describe('ObjectCache', () => {
  let s3: S3TestServer;
  let proxy: S3Proxy;
  let store: S3ObjectStore;
  const dir = tempDir('weir-cache-');
  const gets = () => proxy.seen.filter((r) => r.startsWith('GET') && !r.includes('list-type')).length;

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    await s3.put(BUCKET, 'raw/a.csv', Buffer.from('x\n1\n'));
    await s3.put(BUCKET, 'raw/b.csv.gz', Buffer.from('not really gzip'));
    proxy = await startS3Proxy(s3.endpoint, () => 'forward');
    store = new S3ObjectStore('lake', { kind: 's3', bucket: BUCKET, endpoint: proxy.endpoint, region: 'us-east-1', force_path_style: true, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY, root: '' });
  });
  afterAll(async () => {
    store?.destroy();
    await proxy?.close();
    await s3?.stop();
  });

  it('downloads an object once, then serves it from the cache by ETag', async () => {
    const cache = new ObjectCache(dir);
    const [a] = await store.list('raw/a');
    const first = await cache.fetch(store, a!);
    expect(first.hit).toBe(false);
    expect(readFileSync(first.path, 'utf8')).toBe('x\n1\n');
    expect(first.path.startsWith(dir)).toBe(true);
    expect(first.path.endsWith('.csv')).toBe(true);
    const before = gets();
    const second = await cache.fetch(store, a!);
    expect(second).toMatchObject({ hit: true, path: first.path });
    expect(gets()).toBe(before);
  });

  it('downloads again when the ETag changes, into a new entry', async () => {
    const cache = new ObjectCache(dir);
    const [old] = await store.list('raw/a');
    const oldPath = (await cache.fetch(store, old!)).path;
    await s3.put(BUCKET, 'raw/a.csv', Buffer.from('x\n2\n'));
    const [changed] = await store.list('raw/a');
    expect(changed!.etag).not.toBe(old!.etag);
    const got = await cache.fetch(store, changed!);
    expect(got.hit).toBe(false);
    expect(got.path).not.toBe(oldPath);
    expect(readFileSync(got.path, 'utf8')).toBe('x\n2\n');
  });

  it('keeps compound extensions so DuckDB can see the compression', async () => {
    const [b] = await store.list('raw/b');
    expect(new ObjectCache(dir).pathFor(store, b!)).toMatch(/\.csv\.gz$/);
  });

  it('does not trust a cached file of the wrong size', async () => {
    const cache = new ObjectCache(dir);
    const [a] = await store.list('raw/a');
    expect(await cache.lookup(store, { ...a!, size: a!.size + 1 })).toBeNull();
  });
});
