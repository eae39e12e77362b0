import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipelineFile } from '../../support/engine';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, startS3Proxy, type S3Proxy, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';
import { getObject, listKeys } from './support';

const BUCKET = uniqueBucket('lake');

/** A workspace whose `lake` connection goes through `endpoint`; multipart from 1 MiB in 5 MiB parts. */
function workspace(endpoint: string): string {
  const ws = tempDir('weir-lake-abort-');
  const lake = { kind: 's3', endpoint, bucket: BUCKET, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY, multipart_threshold_mb: 1, part_size_mb: 5 };
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: { lake } } } }));
  // `rows` decides the output's size: 10 rows is one small PUT, 200,000 rows of hashes (about 7 MB) a multipart upload.
  writeFileSync(
    join(ws, 'write.weir.json'),
    JSON.stringify({
      format: 'weir.pipeline',
      version: 1,
      name: 'write_readings',
      params: { rows: { type: 'integer', default: 10 } },
      nodes: [
        { id: 'gen', name: 'readings', kind: 'sql', inputs: [], config: { sql: ["select i, md5(i::varchar) || md5((i * 7)::varchar) as payload from range(getvariable('rows')) t(i)"] } },
        { id: 'out', name: 'out_readings', kind: 'lake_sink', inputs: ['gen'], config: { connection: 'lake', path: 'curated/readings', format: 'parquet', order_by: ['i'] } },
      ],
    }),
  );
  writeFileSync(
    join(ws, 'read.weir.json'),
    JSON.stringify({
      format: 'weir.pipeline',
      version: 1,
      name: 'read_readings',
      nodes: [
        { id: 'src', name: 'readings', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'curated/readings', format: 'parquet' } },
        { id: 'out', name: 'out_copy', kind: 'file_sink', inputs: ['src'], config: { path: 'copy.csv', format: 'csv', order_by: ['i'] } },
      ],
    }),
  );
  return ws;
}

describe('a lake sink run aborted in the middle of a multipart upload', () => {
  let s3: S3TestServer;
  let proxy: S3Proxy;
  let ws: string;
  const controller = new AbortController();

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    // The run is cancelled the moment its first part reaches the server; that part is held
    // until the client gives up on it, so the upload can never complete.
    proxy = await startS3Proxy(s3.endpoint, (req) => {
      if (req.method === 'PUT' && /[?&]partNumber=/.test(req.url ?? '')) {
        controller.abort();
        return new Promise((resolve) => req.on('close', () => resolve({ status: 500 })));
      }
      return 'forward';
    });
    ws = workspace(proxy.endpoint);
  });
  afterAll(async () => {
    await proxy?.close();
    await s3?.stop();
  });

  it('leaves the previous output visible and intact', async () => {
    const first = await runPipelineFile({ file: join(ws, 'write.weir.json'), useCache: false, recordDir: null });
    expect(first.error?.message ?? null).toBeNull();
    const manifestBefore = await getObject(s3, BUCKET, 'curated/readings/_manifest.json');
    const keysBefore = await listKeys(s3, BUCKET, 'curated/readings/');
    const filesBefore = await Promise.all(keysBefore.map((k) => getObject(s3, BUCKET, k)));

    const second = await runPipelineFile({ file: join(ws, 'write.weir.json'), params: { rows: 200_000 }, signal: controller.signal, useCache: false, recordDir: null });
    expect(second.status).toBe('cancelled');
    expect(second.record.nodes.find((n) => n.name === 'out_readings')!.status).toBe('cancelled');
    // The multipart upload was started and reached the server before the cancel.
    expect(proxy.seen.some((r) => r.startsWith('POST') && r.includes('uploads'))).toBe(true);
    expect(proxy.seen.some((r) => r.includes(`_runs/${second.runId}/`))).toBe(true);
    // The unfinished upload was aborted (DELETE ?uploadId=), so its parts do not linger on the server.
    const created = proxy.seen.findIndex((r) => r.startsWith('POST') && r.includes('uploads'));
    expect(proxy.seen.slice(created).some((r) => r.startsWith(`DELETE /${BUCKET}/curated/readings/_runs/${second.runId}/`) && r.includes('uploadId='))).toBe(true);

    // Same manifest, same objects, same bytes: nothing of the cancelled run is visible or left.
    expect((await getObject(s3, BUCKET, 'curated/readings/_manifest.json')).equals(manifestBefore)).toBe(true);
    const keysAfter = await listKeys(s3, BUCKET, 'curated/readings/');
    expect(keysAfter).toEqual(keysBefore);
    const filesAfter = await Promise.all(keysAfter.map((k) => getObject(s3, BUCKET, k)));
    filesAfter.forEach((b, i) => expect(b.equals(filesBefore[i]!)).toBe(true));

    // And a reader still gets the first run's 10 rows.
    const read = await runPipelineFile({ file: join(ws, 'read.weir.json'), useCache: false, recordDir: null });
    expect(read.error?.message ?? null).toBeNull();
    expect(read.record.nodes.find((n) => n.name === 'readings')!.rows).toBe(10);
  });
});
