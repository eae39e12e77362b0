import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startS3Server, S3RVER_KEY } from '../../test/support/s3-server';
import { runTask } from '../lib/child';
import { notMeasured, ratioOf, type FigureRow } from '../lib/report';
import { measure, type Measure } from '../lib/stats';
import type { EngineRunResult } from '../tasks/pipeline-tasks';
import type { S3Target, TimedBytes } from '../tasks/s3-tasks';
import type { BenchContext } from './context';

const TARGET = '≥ 0.8×';
const BUCKET = 'bench';
const PREFIX = 'raw/bioreactor/';
const MB = 1e6;

function throughput(runs: TimedBytes[]): Measure {
  return measure(runs.map((r) => r.bytes / MB / (r.ms / 1000)), 'MB/s');
}

/** A workspace whose one pipeline is one lake source over the bucket (the template's bioreactor source, from S3). */
function lakeWorkspace(endpoint: string): { root: string; pipeline: string } {
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-lake-'));
  const lake = { kind: 's3', bucket: BUCKET, endpoint, region: 'us-east-1', force_path_style: true, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY };
  writeFileSync(join(root, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: { lake } } } }, null, 2));
  mkdirSync(join(root, 'pipelines'));
  const pipeline = join(root, 'pipelines', 'stage.weir.json');
  const node = { id: 'raw_bioreactor', name: 'raw_bioreactor', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: PREFIX, glob: '**/*.parquet', format: 'parquet', hive_partitioning: true } };
  writeFileSync(pipeline, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'bench_s3_stage', params: {}, nodes: [node], layout: {} }, null, 2));
  return { root, pipeline };
}

/**
 * Figure 5: the bioreactor Parquet objects in an S3 server on loopback (s3rver, in its own
 * process). 5a: Weir's download path (listing, object cache, ranged GETs) against plain
 * GetObjects; 5b: the whole lake source node (list, download, read into a table) against
 * the same GetObjects plus the same CREATE TABLE in raw DuckDB. Every run starts cold.
 */
export async function s3Figure(ctx: BenchContext): Promise<FigureRow[]> {
  const labels = ['S3 download throughput (lake source objects, cold cache)', 'S3 staging throughput: lake source node into a table, cold cache'];
  if (!ctx.data) return labels.map((l, i) => notMeasured(`5${'ab'[i]}`, l, TARGET, ctx.dataMissing ?? 'no data'));
  const files = ctx.data.dataset.files.filter((f) => f.path.startsWith('bioreactor/'));
  const server = await startS3Server();
  const ws = lakeWorkspace(server.endpoint);
  try {
    await server.createBucket(BUCKET);
    const keys: string[] = [];
    for (const f of files) {
      const key = `raw/${f.path}`;
      const path = join(ctx.data.dataset.dir, f.path);
      await server.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: createReadStream(path), ContentLength: statSync(path).size }));
      keys.push(key);
    }
    const bytes = files.reduce((s, f) => s + f.bytes, 0);
    ctx.log(`figure 5: ${keys.length} objects, ${(bytes / MB).toFixed(1)} MB in s3rver at ${server.endpoint}`);
    const target: S3Target = { endpoint: server.endpoint, bucket: BUCKET, accessKey: S3RVER_KEY, prefix: PREFIX, keys };
    const weirDl: TimedBytes[] = [];
    const rawDl: TimedBytes[] = [];
    const weirStage: TimedBytes[] = [];
    const rawStage: (TimedBytes & { downloadMs: number })[] = [];
    const objectCache = join(ws.root, '.weir');
    const stageOnce = async () => {
      rmSync(objectCache, { recursive: true, force: true });
      const r = await runTask<EngineRunResult>('engine-run', { file: ws.pipeline, useCache: false });
      if (r.status !== 'succeeded') throw new Error(`lake source run ${r.status}: ${r.error ?? ''}`);
      return { ms: r.nodes[0]!.ms, bytes };
    };
    // Untimed warm-up of both paths (the server's file cache, the SDK's first connection).
    await runTask<TimedBytes>('s3-weir-download', target);
    await runTask<TimedBytes>('s3-raw-download', target);
    for (let i = 0; i < ctx.opts.runs; i++) {
      weirDl.push(await runTask<TimedBytes>('s3-weir-download', target));
      rawDl.push(await runTask<TimedBytes>('s3-raw-download', target));
      weirStage.push(await stageOnce());
      rawStage.push(await runTask<TimedBytes & { downloadMs: number }>('s3-raw-stage', { ...target, table: 'raw_bioreactor' }));
      ctx.log(`figure 5: run ${i + 1}/${ctx.opts.runs}: download weir ${weirDl[i]!.ms.toFixed(0)} ms, raw ${rawDl[i]!.ms.toFixed(0)} ms; staging weir ${weirStage[i]!.ms.toFixed(0)} ms, raw ${rawStage[i]!.ms.toFixed(0)} ms`);
    }
    const a = { weir: throughput(weirDl), base: throughput(rawDl) };
    const b = { weir: throughput(weirStage), base: throughput(rawStage) };
    const ra = ratioOf(a.weir, a.base);
    const rb = ratioOf(b.weir, b.base);
    const details = { objects: keys.length, bytes, rawStageDownloadMsMedian: measure(rawStage.map((r) => r.downloadMs), 'ms').median };
    return [
      { id: '5a', figure: `${labels[0]!}: ${keys.length} objects, ${(bytes / MB).toFixed(0)} MB`, weir: a.weir, baseline: a.base, baselineLabel: 'plain SDK GetObject of the same objects, all at once', ...ra, target: TARGET, met: ra.ratio !== null && ra.ratio >= 0.8, details },
      { id: '5b', figure: labels[1]!, weir: b.weir, baseline: b.base, baselineLabel: 'the same GetObjects, then the same CREATE TABLE in raw DuckDB', ...rb, target: TARGET, met: rb.ratio !== null && rb.ratio >= 0.8, details },
    ];
  } finally {
    await server.stop();
    rmSync(ws.root, { recursive: true, force: true });
  }
}
