import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipelineFile } from '../../support/engine';
import { runWeir } from '../../support/cli';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { ACCESS_DENIED_XML, S3RVER_KEY, startS3Proxy, startS3Server, type S3Proxy, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';

const BUCKET = uniqueBucket('lake');

/**
 * One workspace, an environment per failure: the same pipeline fails with one line that
 * names the node and the connection, and says what is wrong.
 */
describe('lake connection errors', () => {
  let s3: S3TestServer;
  let stopped: S3TestServer;
  let denied: S3Proxy;
  let ws: string;

  const lake = (endpoint: string, bucket = BUCKET) => ({ lake: { kind: 's3', endpoint, bucket, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY } });

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    await s3.put(BUCKET, 'raw/a.csv', Buffer.from('x\n1\n'));
    // A server of its own, stopped at once: an endpoint where nothing listens.
    stopped = await startS3Server();
    await stopped.stop();
    denied = await startS3Proxy(s3.endpoint, () => ({ status: 403, body: ACCESS_DENIED_XML }));
    ws = tempDir('weir-lake-errors-');
    const environments = {
      dev: { connections: lake(s3.endpoint) },
      denied: { connections: lake(denied.endpoint) },
      nobucket: { connections: lake(s3.endpoint, 'no-such-bucket') },
      stopped: { connections: lake(stopped.endpoint) },
      badendpoint: { connections: lake('minio:9000') },
      folder: { connections: { lake: { kind: 'folder', path: 'no-such-folder' } } },
    };
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments }));
    const pipeline = (name: string, nodes: unknown[]) => writeFileSync(join(ws, `${name}.weir.json`), JSON.stringify({ format: 'weir.pipeline', version: 1, name, nodes }));
    pipeline('read', [{ id: 'src', name: 'raw_a', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'raw/', glob: '*.csv', format: 'csv' } }]);
    pipeline('missing', [{ id: 'src', name: 'raw_b', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'raw/', glob: 'b.csv', format: 'csv' } }]);
    pipeline('write', [
      { id: 'gen', name: 'rows', kind: 'sql', inputs: [], config: { sql: ['select 1 as x'] } },
      { id: 'out', name: 'out_rows', kind: 'lake_sink', inputs: ['gen'], config: { connection: 'lake', path: 'curated/rows', format: 'parquet' } },
    ]);
  });
  afterAll(async () => {
    await denied?.close();
    await s3?.stop();
  });

  async function failure(pipeline: string, environment: string): Promise<string> {
    const out = await runPipelineFile({ file: join(ws, `${pipeline}.weir.json`), environment, useCache: false, recordDir: null });
    expect(out.status).toBe('failed');
    const msg = out.error!.message;
    expect(msg).not.toContain('\n');
    expect(out.error!.kind).toBe('connection');
    return msg;
  }

  it('access denied (a 403 from the server)', async () => {
    expect(await failure('read', 'denied')).toBe(
      `node "raw_a": connection "lake": list s3://${BUCKET}/raw/ failed: access denied to bucket "${BUCKET}" at ${denied.endpoint} (check the credentials and the bucket policy)`,
    );
    expect(await failure('write', 'denied')).toMatch(
      new RegExp(`^node "out_rows": connection "lake": \\S+ s3://${BUCKET}/curated/rows/\\S* failed: access denied to bucket "${BUCKET}" at ${denied.endpoint} \\(check the credentials and the bucket policy\\)$`),
    );
  });

  it('a missing bucket', async () => {
    expect(await failure('read', 'nobucket')).toBe(`node "raw_a": connection "lake": list s3://no-such-bucket/raw/ failed: bucket "no-such-bucket" does not exist at ${s3.endpoint}`);
    expect(await failure('write', 'nobucket')).toMatch(new RegExp(`^node "out_rows": connection "lake": \\S+ s3://no-such-bucket/curated/rows/\\S* failed: bucket "no-such-bucket" does not exist at ${s3.endpoint}$`));
  });

  it('a stopped server', async () => {
    // Refused connections are retried (3 times by default) before the run gives up.
    expect(await failure('read', 'stopped')).toBe(`node "raw_a": connection "lake": list s3://${BUCKET}/raw/ failed after 3 retries: cannot reach ${stopped.endpoint} (ECONNREFUSED)`);
  });

  it('a malformed endpoint', async () => {
    expect(await failure('read', 'badendpoint')).toBe('node "raw_a": connection "lake": bad endpoint "minio:9000" (expected a URL such as http://minio:9000)');
  });

  it('a missing key', async () => {
    expect(await failure('missing', 'dev')).toBe(`node "raw_b": connection "lake": no object matches "raw/b.csv" in s3://${BUCKET}/raw/`);
  });

  it('a missing lake folder', async () => {
    expect(await failure('read', 'folder')).toBe(`node "raw_a": connection "lake": folder "${join(ws, 'no-such-folder')}" does not exist`);
  });

  it('the CLI prints the same one line on stderr and exits 1 (--env picks the environment)', async () => {
    const res = await runWeir(['run', join(ws, 'read.weir.json'), '--env', 'stopped', '--no-record']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`weir: node "raw_a": connection "lake": list s3://${BUCKET}/raw/ failed after 3 retries: cannot reach ${stopped.endpoint} (ECONNREFUSED)\n`);
    const ok = await runWeir(['run', join(ws, 'read.weir.json'), '--env', 'dev', '--no-record']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
  });

  it('and the same connection works when nothing is wrong', async () => {
    const out = await runPipelineFile({ file: join(ws, 'read.weir.json'), environment: 'dev', useCache: false, recordDir: null });
    expect(out.error?.message ?? null).toBeNull();
    expect(out.record.nodes[0]!.rows).toBe(1);
  });
});
