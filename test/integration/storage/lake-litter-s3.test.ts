import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lakeLitter, removeLakeLitter } from '../../../src-main/engine/storage/lake-litter';
import { S3ObjectStore } from '../../../src-main/engine/storage/s3-store';
import { startFaultProxy } from '../../support/fault-proxy';
import { manifest } from '../../support/litter-manifest';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, type S3TestServer } from '../../support/s3-server';

const BUCKET = uniqueBucket('lake');

// The folder-lake half of these tests is test/unit/storage/lake-litter.test.ts.
const HOUR = 3_600_000;

describe('lake litter on S3', () => {
  let s3: S3TestServer;
  const spec = (endpoint: string) =>
    ({ kind: 's3', bucket: BUCKET, endpoint, region: 'us-east-1', force_path_style: true, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY, root: '' }) as const;

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    await s3.put(BUCKET, 'out/_manifest.json', manifest(['_runs/r2/data_0.parquet'], []));
    await s3.put(BUCKET, 'out/_runs/r2/data_0.parquet', 'x');
    await s3.put(BUCKET, 'out/_runs/r0/data_0.parquet', 'killed');
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
      expect(litter.notes).toEqual([`s3://${BUCKET}/out/: the server cannot list unfinished multipart uploads (ListMultipartUploads not implemented); they were not checked`]);
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
      path: new RegExp(`^/${BUCKET}/?$`),
      query: /(^|&)uploads(=|&|$)/,
      action: {
        kind: 'answer',
        status: 200,
        body:
          '<?xml version="1.0" encoding="UTF-8"?><ListMultipartUploadsResult><Bucket>' + BUCKET + '</Bucket><IsTruncated>false</IsTruncated>' +
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
      expect(proxy.seen.filter((r) => r.startsWith('DELETE'))).toEqual([expect.stringMatching(new RegExp(`^DELETE /${BUCKET}/out/_runs/r0/big\\.parquet\\?uploadId=old-killed`))]);
    } finally {
      store.destroy();
      await proxy.close();
    }
  });
});
