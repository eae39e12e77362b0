import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipelineFile } from '../../support/engine';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';

const BUCKET = uniqueBucket('only-new');

/**
 * A lake source with `only_new` on the test S3 server: each run reads only the objects the
 * last successful run did not list (new keys, or replaced ones with another ETag); a run that
 * fails after reading keeps the previous listing, so the next run reads those objects again.
 */
describe('lake source: only objects added since the last successful run', () => {
  let s3: S3TestServer;
  let ws: string;
  let file: string;
  const csv = (batch: string, n: number, base = 0) => Buffer.from(`batch_id,reading\n${Array.from({ length: n }, (_, i) => `${batch},${base + i}`).join('\n')}\n`);

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    ws = tempDir('weir-only-new-');
    const lake = { kind: 's3', endpoint: s3.endpoint, bucket: BUCKET, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY };
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: { lake } } } }));
    file = join(ws, 'readings.weir.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir.pipeline',
        version: 1,
        name: 'readings',
        params: { fail: { type: 'string', default: 'no' } },
        nodes: [
          { id: 'src', name: 'raw_readings', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'raw/readings/', glob: '*.csv', format: 'csv', only_new: true } },
          { id: 'gate', name: 'gated', kind: 'sql', inputs: ['src'], config: { sql: ["SELECT * FROM raw_readings WHERE CASE WHEN getvariable('fail') = 'yes' THEN error('failing on purpose') ELSE true END"] } },
          { id: 'out', name: 'out_csv', kind: 'file_sink', inputs: ['gate'], config: { path: 'out.csv', format: 'csv', order_by: ['batch_id', 'reading'] } },
        ],
      }),
    );
  });
  afterAll(async () => {
    await s3?.stop();
  });

  const run = async (fail = false) => {
    const out = await runPipelineFile({ file, useCache: false, params: { fail: fail ? 'yes' : 'no' } });
    const node = out.record.nodes.find((n) => n.name === 'raw_readings')!;
    const read = (node.inputs ?? []).map((i) => i.uri.replace(`s3://${BUCKET}/raw/readings/`, '')).sort();
    const lines = out.status === 'succeeded' ? readFileSync(join(ws, 'out.csv'), 'utf8').trim().split('\n') : [];
    return { out, read, lines, rows: node.rows };
  };

  it('reads every object first, then only new ones', async () => {
    await s3.put(BUCKET, 'raw/readings/B001.csv', csv('B001', 3));
    await s3.put(BUCKET, 'raw/readings/B002.csv', csv('B002', 2));
    const first = await run();
    expect(first.out.error?.message ?? null).toBeNull();
    expect(first.read).toEqual(['B001.csv', 'B002.csv']);
    expect(first.lines).toHaveLength(1 + 5);

    await s3.put(BUCKET, 'raw/readings/B003.csv', csv('B003', 4));
    const second = await run();
    expect(second.out.error?.message ?? null).toBeNull();
    expect(second.read).toEqual(['B003.csv']);
    expect(second.lines.slice(1)).toEqual(['B003,0', 'B003,1', 'B003,2', 'B003,3']);
  });

  it('gives an empty table with the objects\' columns when nothing is new', async () => {
    const none = await run();
    expect(none.out.error?.message ?? null).toBeNull();
    expect(none.read).toEqual([]);
    expect(none.rows).toBe(0);
    expect(none.lines).toEqual(['batch_id,reading']);
  });

  it('reads a replaced object again, and a failed run does not move the listing on', async () => {
    await s3.put(BUCKET, 'raw/readings/B002.csv', csv('B002', 3, 100)); // a late result: replaced
    await s3.put(BUCKET, 'raw/readings/B004.csv', csv('B004', 1));
    const failed = await run(true);
    expect(failed.out.status).toBe('failed');
    expect(failed.out.error?.message).toContain('failing on purpose');
    expect(failed.read).toEqual(['B002.csv', 'B004.csv']);

    const again = await run();
    expect(again.out.error?.message ?? null).toBeNull();
    expect(again.read).toEqual(['B002.csv', 'B004.csv']);
    expect(again.lines.slice(1)).toEqual(['B002,100', 'B002,101', 'B002,102', 'B004,0']);

    const after = await run();
    expect(after.read).toEqual([]);
  });
});
