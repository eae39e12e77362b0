import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeirError } from '../../../shared/errors';
import { S3ObjectStore, type S3StoreTuning } from '../../../src-main/engine/storage/s3-store';
import type { S3ConnectionSpec } from '../../../src-main/engine/storage/s3-client';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { ACCESS_DENIED_XML, S3RVER_KEY, startS3Proxy, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';

const BUCKET = uniqueBucket('lake');

const FAST_RETRY: Partial<S3StoreTuning> = { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } };

function spec(endpoint: string, bucket: string, extra: Partial<S3ConnectionSpec> = {}): S3ConnectionSpec {
  return { kind: 's3', bucket, endpoint, region: 'us-east-1', force_path_style: true, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY, root: '', ...extra };
}

async function oneLineError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(WeirError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    return msg;
  }
  throw new Error('expected an error');
}

describe('S3ObjectStore against s3rver', () => {
  let s3: S3TestServer;
  const dir = tempDir('weir-s3store-');
  const stores: S3ObjectStore[] = [];
  const store = (bucket = BUCKET, extra: Partial<S3ConnectionSpec> = {}, tuning: Partial<S3StoreTuning> = {}, endpoint?: string) => {
    const s = new S3ObjectStore('lake', spec(endpoint ?? s3.endpoint, bucket, extra), { ...FAST_RETRY, ...tuning });
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    for (let i = 0; i < 5; i++) await s3.put(BUCKET, `raw/part-${i}.csv`, Buffer.from(`n\n${i}\n`));
    await s3.put(BUCKET, 'other/x.csv', Buffer.from('n\n9\n'));
  });
  afterAll(async () => {
    for (const s of stores) s.destroy();
    await s3?.stop();
  });

  it('lists every key under a prefix across pages (continuation tokens)', async () => {
    const listed = await store(BUCKET, {}, { listPageSize: 2 }).list('raw/');
    expect(listed.map((o) => o.key)).toEqual([0, 1, 2, 3, 4].map((i) => `raw/part-${i}.csv`));
    expect(listed[0]!.size).toBe(4);
    expect(listed[0]!.etag).toMatch(/^".+"$/);
  });

  it('keeps keys relative to the connection root', async () => {
    const s = store(BUCKET, { root: 'raw' });
    expect((await s.list('')).map((o) => o.key)).toContain('part-0.csv');
    expect(s.uri('part-0.csv')).toBe(`s3://${BUCKET}/raw/part-0.csv`);
  });

  it('downloads small objects whole and large ones as ranged parts, byte for byte', async () => {
    const big = randomBytes(10_000);
    await s3.put(BUCKET, 'big/blob.bin', big);
    const s = store(BUCKET, {}, { rangeThreshold: 1000, rangePartSize: 777 });
    const [info] = await s.list('big/');
    const dest = join(dir, 'blob.bin');
    await s.download(info!, dest);
    expect(readFileSync(dest).equals(big)).toBe(true);

    const [small] = await s.list('raw/part-1');
    await s.download(small!, join(dir, 'small.csv'));
    expect(readFileSync(join(dir, 'small.csv'), 'utf8')).toBe('n\n1\n');
  });

  it('fails a download, whole or ranged, when the object was replaced after the listing (If-Match)', async () => {
    // s3rver ignores If-Match: the proxy plays a server that honours it.
    await s3.put(BUCKET, 'cas/small.csv', 'n\n1\n');
    await s3.put(BUCKET, 'cas/big.bin', randomBytes(3_000));
    const s = store(BUCKET, {}, { rangeThreshold: 1000, rangePartSize: 777 });
    const listed = await s.list('cas/');
    // Same sizes, other bytes: only the ETag tells the versions apart.
    await s3.put(BUCKET, 'cas/small.csv', 'n\n2\n');
    await s3.put(BUCKET, 'cas/big.bin', randomBytes(3_000));
    const current = new Map((await s.list('cas/')).map((i) => [`/${BUCKET}/${i.key}`, i.etag]));
    const proxy = await startS3Proxy(s3.endpoint, (req) => {
      const ifMatch = req.headers['if-match'];
      const etag = current.get((req.url ?? '').split('?')[0]!);
      return ifMatch !== undefined && etag !== undefined && ifMatch !== etag
        ? { status: 412, body: '<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>' }
        : 'forward';
    });
    try {
      const viaProxy = store(BUCKET, {}, { rangeThreshold: 1000, rangePartSize: 777 }, proxy.endpoint);
      for (const info of listed) {
        const dest = join(dir, `cas-${info.key.slice(4)}`);
        expect(await oneLineError(viaProxy.download(info, dest))).toBe(`connection "lake": GET s3://${BUCKET}/${info.key} failed: the object changed while it was read; run again`);
        expect(existsSync(dest)).toBe(false);
      }
      // The current ETag still downloads.
      const [small] = await viaProxy.list('cas/small');
      await viaProxy.download(small!, join(dir, 'cas-now.csv'));
      expect(readFileSync(join(dir, 'cas-now.csv'), 'utf8')).toBe('n\n2\n');
    } finally {
      await proxy.close();
    }
  });

  it('uploads large files as multipart uploads and small ones in one PUT', async () => {
    const s = store(BUCKET, {}, { multipartThreshold: 1000, partSize: 600 });
    const src = join(dir, 'upload.bin');
    const bytes = randomBytes(5_000);
    writeFileSync(src, bytes);
    const proxy = await startS3Proxy(s3.endpoint, () => 'forward');
    try {
      const viaProxy = store(BUCKET, {}, { multipartThreshold: 1000, partSize: 600 }, proxy.endpoint);
      const info = await viaProxy.putFile('up/big.bin', src);
      expect(info.size).toBe(5_000);
      expect(proxy.seen.filter((r) => r.startsWith('PUT') && r.includes('partNumber='))).toHaveLength(9);
    } finally {
      await proxy.close();
    }
    const got = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'up/big.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);

    writeFileSync(src, 'tiny');
    await s.putFile('up/tiny.txt', src);
    expect((await s.getBytes('up/tiny.txt'))?.body.toString()).toBe('tiny');
  });

  it('reads small objects, null for a missing key; deletes', async () => {
    const s = store();
    await s.putBytes('tmp/a.json', Buffer.from('{}'));
    expect((await s.getBytes('tmp/a.json'))?.body.toString()).toBe('{}');
    expect(await s.getBytes('tmp/none.json')).toBeNull();
    await s.delete(['tmp/a.json']);
    expect(await s.list('tmp/')).toEqual([]);
  });

  it('names the connection and the bucket when the bucket does not exist', async () => {
    const msg = await oneLineError(store('no-such-bucket').list(''));
    expect(msg).toBe(`connection "lake": list s3://no-such-bucket/ failed: bucket "no-such-bucket" does not exist at ${s3.endpoint}`);
  });

  it('says access denied when the server answers 403', async () => {
    const proxy = await startS3Proxy(s3.endpoint, () => ({ status: 403, body: ACCESS_DENIED_XML }));
    try {
      const msg = await oneLineError(store(BUCKET, {}, {}, proxy.endpoint).list('raw/'));
      expect(msg).toBe(`connection "lake": list s3://${BUCKET}/raw/ failed: access denied to bucket "${BUCKET}" at ${proxy.endpoint} (check the credentials and the bucket policy)`);
    } finally {
      await proxy.close();
    }
  });

  it('retries 503s and then succeeds', async () => {
    let n = 0;
    const proxy = await startS3Proxy(s3.endpoint, () => (n++ < 1 ? { status: 503, body: '<Error><Code>SlowDown</Code><Message>slow down</Message></Error>' } : 'forward'));
    try {
      const listed = await store(BUCKET, {}, {}, proxy.endpoint).list('raw/');
      expect(listed).toHaveLength(5);
      expect(proxy.seen.length).toBe(2);
    } finally {
      await proxy.close();
    }
  });

  it('says the endpoint cannot be reached, and rejects a malformed endpoint', async () => {
    const proxy = await startS3Proxy(s3.endpoint, () => 'forward');
    const dead = proxy.endpoint;
    await proxy.close();
    // FAST_RETRY makes two attempts: one retry.
    expect(await oneLineError(store(BUCKET, {}, {}, dead).list(''))).toBe(`connection "lake": list s3://${BUCKET}/ failed after 1 retry: cannot reach ${dead} (ECONNREFUSED)`);
    expect(() => store(BUCKET, {}, {}, 'minio:9000')).toThrow('connection "lake": bad endpoint "minio:9000" (expected a URL such as http://minio:9000)');
  });
});
