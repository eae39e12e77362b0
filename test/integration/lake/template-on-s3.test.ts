import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeRecord, RunRecord } from '../../../shared/run/record';
import { runPipelineFile } from '../../support/engine';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, startS3Proxy, type S3Proxy, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';
import { TEMPLATE_PIPELINE, copyTemplate } from '../../support/templates';
import { getObject, listKeys, query, sqlString, uploadRaw, writeLakePipeline } from './support';

const BUCKET = uniqueBucket('cgt-lake');
/**
 * How the run record names the bucket: the template's prod environment gives it as
 * ${env:WEIR_S3_BUCKET}, and every value resolved from the environment is masked.
 */
const RECORDED_BUCKET = '***';
/** The batches the shipped sample is built to reject (see test/integration/template-batch-release.test.ts). */
const REJECTED = ['B0007', 'B0013', 'B0021', 'B0026'];
const SOURCES = ['raw_batches', 'raw_assays', 'raw_specs', 'raw_bioreactor'];

describe('the CGT template on an S3 lake (s3rver on 127.0.0.1)', () => {
  let s3: S3TestServer;
  let proxy: S3Proxy;
  let ws: string;
  let lakePipeline: string;
  let rawKeys: string[];
  const savedEnv = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  // The template's prod environment names ${env:WEIR_S3_ENDPOINT} and ${env:WEIR_S3_BUCKET}.
  const secrets = (name: string) => ({ WEIR_S3_ENDPOINT: proxy.endpoint, WEIR_S3_BUCKET: BUCKET })[name] ?? process.env[name];
  /** Object downloads seen by the proxy (not listings, not manifest reads). */
  // (Nor the lake sinks' listing of unfinished multipart uploads, `?uploads=`, when they stage.)
  const downloads = () => proxy.seen.filter((r) => r.startsWith('GET') && !r.includes('list-type=') && !r.includes('uploads=') && !r.includes('_manifest.json'));

  const runProd = (file = lakePipeline) => runPipelineFile({ file, environment: 'prod', secrets, useCache: false, recordDir: null });
  const sourceInputs = (record: RunRecord) =>
    record.nodes.filter((n) => SOURCES.includes(n.name)).flatMap((n: NodeRecord) => n.inputs ?? []);

  beforeAll(async () => {
    // The default AWS credential chain, as a server would have it.
    process.env.AWS_ACCESS_KEY_ID = S3RVER_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = S3RVER_KEY;
    s3 = sharedS3();
    proxy = await startS3Proxy(s3.endpoint, () => 'forward');
    await s3.createBucket(BUCKET);
    ws = copyTemplate('cgt-batch-release', { prefix: 'weir-lake-template-' });
    rawKeys = await uploadRaw(s3, BUCKET, ws);
    lakePipeline = writeLakePipeline(ws);
  });
  afterAll(async () => {
    if (savedEnv.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    else process.env.AWS_ACCESS_KEY_ID = savedEnv.id;
    if (savedEnv.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = savedEnv.secret;
    await proxy?.close();
    await s3?.stop();
  });

  it('reads the raw files from the bucket and writes the curated outputs back, published by manifests', async () => {
    const out = await runProd();
    expect(out.error?.message ?? null).toBeNull();
    expect(out.status).toBe('succeeded');
    // Every raw object was downloaded (first run: nothing cached), and each is in the record with its ETag.
    const inputs = sourceInputs(out.record);
    expect(inputs.map((i) => i.uri).sort()).toEqual(rawKeys.map((k) => `s3://${RECORDED_BUCKET}/${k}`).sort());
    for (const i of inputs) expect(i).toMatchObject({ cacheHit: false, etag: expect.stringMatching(/^".+"$/), size: expect.any(Number) });
    expect(downloads()).toHaveLength(rawKeys.length);

    const keys = await listKeys(s3, BUCKET, 'curated/');
    for (const out of ['batch_release', 'assay_results', 'release_summary']) expect(keys).toContain(`curated/${out}/_manifest.json`);
    expect(keys.filter((k) => k.startsWith(`curated/batch_release/_runs/${out.runId}/`))).toEqual([`curated/batch_release/_runs/${out.runId}/data_0.parquet`]);
    const sink = out.record.nodes.find((n) => n.name === 'out_batch_release')!;
    expect(sink.outputs).toEqual([expect.objectContaining({ uri: `s3://${RECORDED_BUCKET}/curated/batch_release/_runs/${out.runId}/data_0.parquet` })]);
  });

  it('the curated output read back from the bucket rejects exactly the out-of-spec batches', async () => {
    const dir = tempDir('weir-lake-readback-');
    const manifest = JSON.parse((await getObject(s3, BUCKET, 'curated/batch_release/_manifest.json')).toString()) as { files: { key: string }[]; rows: number };
    expect(manifest.rows).toBe(40);
    const local = manifest.files.map((f, i) => join(dir, `${i}.parquet`));
    for (const [i, f] of manifest.files.entries()) writeFileSync(local[i]!, await getObject(s3, BUCKET, `curated/batch_release/${f.key}`));
    const status = await query(`SELECT batch_id, release_status FROM read_parquet([${local.map(sqlString).join(', ')}]) ORDER BY batch_id`);
    expect(status).toHaveLength(40);
    expect(status.filter((r) => r.release_status === 'REJECTED').map((r) => r.batch_id)).toEqual(REJECTED);

    const summary = JSON.parse((await getObject(s3, BUCKET, 'curated/release_summary/_manifest.json')).toString()) as { files: { key: string }[] };
    const csv = (await getObject(s3, BUCKET, `curated/release_summary/${summary.files[0]!.key}`)).toString().trim().split('\n');
    expect(csv[0]).toBe('site,product,batches,released,rejected,release_rate,mean_viability_pct,mean_do_pct');
  });

  it('writes the same bytes as the shipped template does on the local folder lake', async () => {
    // The template as shipped (file_source / file_sink on data/), in the dev environment.
    const local = await runPipelineFile({ file: join(ws, TEMPLATE_PIPELINE['cgt-batch-release']), useCache: false, recordDir: null });
    expect(local.status).toBe('succeeded');
    const fromFolder = createHash('sha256').update(readFileSync(join(ws, 'data/curated/batch_release.parquet'))).digest('hex');
    const manifest = JSON.parse((await getObject(s3, BUCKET, 'curated/batch_release/_manifest.json')).toString()) as { files: { key: string; sha256: string }[] };
    const fromBucket = createHash('sha256').update(await getObject(s3, BUCKET, `curated/batch_release/${manifest.files[0]!.key}`)).digest('hex');
    expect(fromBucket).toBe(fromFolder);
    expect(manifest.files[0]!.sha256).toBe(fromFolder);
  });

  it('the lake pipeline also runs on the dev folder lake, with the same outputs', async () => {
    const prod = await runProd();
    const dev = await runPipelineFile({ file: lakePipeline, environment: 'dev', useCache: false, recordDir: null });
    expect(dev.error?.message ?? null).toBeNull();
    const hashes = (r: RunRecord) => Object.fromEntries(r.nodes.filter((n) => n.kind === 'lake_sink').map((n) => [n.name, n.outputHash]));
    expect(hashes(dev.record)).toEqual(hashes(prod.record));
    expect(JSON.parse(readFileSync(join(ws, 'data/curated/batch_release/_manifest.json'), 'utf8'))).toMatchObject({ rows: 40, file_format: 'parquet' });
  });

  it('the prod environment names the variable it needs when it is not set', async () => {
    const out = await runPipelineFile({ file: lakePipeline, environment: 'prod', secrets: () => undefined, useCache: false, recordDir: null });
    expect(out.status).toBe('failed');
    expect(out.error!.message).toMatch(/^node "raw_\w+": connection "lake": environment variable WEIR_S3_(ENDPOINT|BUCKET) is not set$/);
  });

  it('a second run with unchanged inputs downloads nothing: every input is a cache hit', async () => {
    const before = downloads().length;
    const out = await runProd();
    expect(out.status).toBe('succeeded');
    const inputs = sourceInputs(out.record);
    expect(inputs).toHaveLength(rawKeys.length);
    expect(inputs.every((i) => i.cacheHit === true)).toBe(true);
    expect(downloads().length).toBe(before);
  });

  it('changing one object downloads only that one again', async () => {
    // A repeated row, as LIMS exports have: the curated results stay the same.
    const assays = join(ws, 'data/raw/assays.csv');
    const lines = readFileSync(assays, 'utf8').trimEnd().split('\n');
    appendFileSync(assays, `${lines[1]}\n`);
    await s3.put(BUCKET, 'raw/assays.csv', readFileSync(assays));
    const before = downloads().length;
    const out = await runProd();
    expect(out.status).toBe('succeeded');
    const inputs = sourceInputs(out.record);
    expect(inputs.filter((i) => !i.cacheHit).map((i) => i.uri)).toEqual([`s3://${RECORDED_BUCKET}/raw/assays.csv`]);
    expect(downloads().slice(before)).toEqual([expect.stringMatching(new RegExp(`^GET /${BUCKET}/raw/assays\\.csv`))]);
  });

  it('with the node cache on, unchanged lake sources come from it and still list their objects', async () => {
    const run = () => runPipelineFile({ file: lakePipeline, environment: 'prod', secrets, recordDir: null });
    expect((await run()).status).toBe('succeeded');
    const before = downloads().length;
    const out = await run();
    expect(out.status).toBe('succeeded');
    const sources = out.record.nodes.filter((n) => SOURCES.includes(n.name));
    expect(sources.every((n) => n.cached)).toBe(true);
    expect(sourceInputs(out.record).map((i) => i.uri).sort()).toEqual(rawKeys.map((k) => `s3://${RECORDED_BUCKET}/${k}`).sort());
    expect(sourceInputs(out.record).every((i) => i.cacheHit)).toBe(true);
    expect(downloads().length).toBe(before);
  });

  it('a lake source on the curated prefix follows the manifests, not the run folders', async () => {
    const file = join(ws, 'pipelines', 'read_curated.weir.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir.pipeline',
        version: 1,
        name: 'read_curated',
        nodes: [
          { id: 'a', name: 'assay_results', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'curated/assay_results', glob: '**/*.parquet', format: 'parquet', hive_partitioning: true } },
          { id: 'b', name: 'counts', kind: 'sql', inputs: ['a'], config: { sql: ['select assay_code, count(*) as n from assay_results group by all order by all'] } },
          { id: 'c', name: 'out', kind: 'file_sink', inputs: ['b'], config: { path: 'data/check/counts.csv', format: 'csv' } },
        ],
      }),
    );
    const out = await runProd(file);
    expect(out.error?.message ?? null).toBeNull();
    const inputs = out.record.nodes.find((n) => n.name === 'assay_results')!.inputs!;
    // Six partitions from the last published run only, although several runs wrote to the prefix.
    expect(inputs).toHaveLength(6);
    const lastRun = (JSON.parse((await getObject(s3, BUCKET, 'curated/assay_results/_manifest.json')).toString()) as { run_id: string }).run_id;
    for (const i of inputs) expect(i.uri).toContain(`/_runs/${lastRun}/`);
    // Older outputs are deleted after a swap, keeping one previous (keep_previous: 1).
    const runFolders = new Set((await listKeys(s3, BUCKET, 'curated/batch_release/_runs/')).map((k) => k.split('/')[3]));
    expect(runFolders.size).toBe(2);
    const counts = readFileSync(join(ws, 'data/check/counts.csv'), 'utf8').trim().split('\n');
    expect(counts).toEqual(['assay_code,n', 'cd3_pct,40', 'endotoxin,40', 'sterility,40', 'vector_copy_number,40', 'viability,40', 'viable_cell_count,40']);
  });
});
