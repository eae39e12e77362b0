import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkspace } from '../../../src-main/engine';
import { collectGarbage, testEngine } from '../../support/engine';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';
import { getObject, listKeys } from '../lake/support';

const BUCKET = uniqueBucket('lotgc');
const LOTS = ['L1', 'L2'];
// A run of long ago with no marker here: dead (gc/live-runs.ts), so its leftovers go at once.
const DEAD = '20200101T000000.000Z-dead01';

/** Lots from hive folders on the lake, published per lot to a lake prefix and to a workspace folder. */
const pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'lots_gc',
  params: {},
  partitions: { key: 'batch_id', sources: { raw: { hive: true } } },
  nodes: [
    { id: 'raw', name: 'raw', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'raw/', glob: 'batch_id=*/*.csv', format: 'csv', hive_partitioning: true } },
    { id: 'rows', name: 'rows', kind: 'sql', inputs: ['raw'], config: { materialize: 'table', sql: ['select batch_id::varchar as batch_id, id::int as id from raw'] } },
    { id: 'out', name: 'out', kind: 'lake_sink', inputs: ['rows'], config: { connection: 'lake', path: 'curated/out', format: 'csv', order_by: ['id'] } },
    { id: 'copy', name: 'copy', kind: 'file_sink', inputs: ['rows'], config: { path: 'data/curated/rows.csv', format: 'csv' } },
  ],
  layout: {},
};

describe('weir gc and the lots of a partitioned pipeline', () => {
  let s3: S3TestServer;
  let ws: string;
  const put = (key: string, body: string) => s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    ws = tempDir('weir-lot-gc-');
    const lake = { kind: 's3', endpoint: s3.endpoint, bucket: BUCKET, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY };
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: { lake } } } }));
    mkdirSync(join(ws, 'pipelines'));
    writeFileSync(join(ws, 'pipelines', 'lots.weir.json'), JSON.stringify(pipeline));
    for (const lot of LOTS) await put(`raw/batch_id=${lot}/rows.csv`, `id\n1\n2\n`);
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it("removes orphans under each lot's prefix and folder, and keeps every lot's published objects, its manifest and the lot states", async () => {
    const out = await testEngine().run({ file: join(ws, 'pipelines', 'lots.weir.json') });
    expect(out.lots!.map((l) => [l.key, l.outcome])).toEqual(LOTS.map((l) => [l, 'succeeded']));
    const published = (await listKeys(s3, BUCKET, 'curated/out/')).sort();
    // Each lot: its manifest and its files; beside them the lot states.
    for (const lot of LOTS) expect(published).toContain(`curated/out/batch_id=${lot}/_manifest.json`);
    expect(published).toEqual(expect.arrayContaining(LOTS.map((l) => `curated/out/_lots/${l}.json`)));
    const manifestL1 = (await getObject(s3, BUCKET, 'curated/out/batch_id=L1/_manifest.json')).toString('utf8');

    // What killed runs left: in a lot's _runs/, in the sink's own _runs/, and a lot folder's file-sink staging.
    const orphans = [`curated/out/batch_id=L1/_runs/${DEAD}/part-0.csv`, `curated/out/batch_id=L2/_runs/${DEAD}/part-0.csv`, `curated/out/_runs/${DEAD}/part-0.csv`];
    for (const key of orphans) await put(key, 'id\n9\n');
    const lotFolder = join(ws, 'data', 'curated', 'batch_id=L1');
    const staging = `.rows.csv.weir-${DEAD}.tmp`;
    writeFileSync(join(lotFolder, staging), 'half');

    const dry = await collectGarbage(findWorkspace(ws), { dryRun: true });
    const listed = dry.items.map((i) => i.what);
    for (const key of orphans) expect(listed.some((w) => w.includes(key.slice(0, key.lastIndexOf('/') + 1)))).toBe(true);
    expect(listed).toContain(join(lotFolder, staging));
    expect((await listKeys(s3, BUCKET, 'curated/out/')).sort()).toEqual([...published, ...orphans].sort());

    const report = await collectGarbage(findWorkspace(ws));
    // s3rver lists no multipart uploads (a note per folder scanned): every lot's prefix was looked in.
    expect(report.notes.filter((n) => !n.includes('ListMultipartUploads not implemented'))).toEqual([]);
    expect(report.notes.filter((n) => /batch_id=L\d\/: /.test(n))).toHaveLength(LOTS.length);
    expect((await listKeys(s3, BUCKET, 'curated/out/')).sort()).toEqual(published);
    expect((await getObject(s3, BUCKET, 'curated/out/batch_id=L1/_manifest.json')).toString('utf8')).toBe(manifestL1);
    expect(readdirSync(lotFolder).sort()).toEqual(['rows.csv']);
    // The lots are still up to date: their states were kept.
    expect((await testEngine().partitions({ file: join(ws, 'pipelines', 'lots.weir.json') })).partitions.map((p) => p.state)).toEqual(['up_to_date', 'up_to_date']);
  });
});
