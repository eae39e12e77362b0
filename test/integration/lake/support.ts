import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { parsePipeline } from '../../../shared/pipeline/parse';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import type { Pipeline } from '../../../shared/pipeline/schema';
import type { S3TestServer } from '../../support/s3-server';
import { filesUnder } from '../../support/find-files';
import { TEMPLATE_PIPELINE } from '../../support/templates';

/** Uploads `<ws>/data/raw/**` to the bucket as `raw/**`, as an instrument or LIMS export would land. */
export async function uploadRaw(s3: S3TestServer, bucket: string, ws: string): Promise<string[]> {
  const root = join(ws, 'data');
  const keys = filesUnder(join(root, 'raw')).map((k) => `raw/${k}`);
  for (const key of keys) await s3.put(bucket, key, readFileSync(join(root, ...key.split('/'))));
  return keys;
}

/**
 * The template's pipeline with its file sources and sinks replaced by lake nodes on the
 * `lake` connection: `data/raw/x.csv` becomes prefix `raw/`, glob `x.csv`; a file sink to
 * `data/curated/name.ext` becomes a lake sink to `curated/name`. Everything else is as shipped,
 * except PostgreSQL sinks, which are left out.
 */
export function toLakePipeline(p: Pipeline): Pipeline {
  // Publishing elsewhere (a PostgreSQL mart) is not what these tests are about: left out.
  const nodes = p.nodes.filter((n) => n.kind !== 'postgres_sink').map((n) => {
    const c = n.config as Record<string, unknown>;
    if (n.kind === 'file_source') {
      const path = String(c.path).replace(/^data\//, '');
      const cut = path.search(/[*?[{]/);
      const folderEnd = (cut < 0 ? path : path.slice(0, cut)).lastIndexOf('/') + 1;
      return {
        ...n,
        kind: 'lake_source',
        config: {
          connection: 'lake',
          prefix: path.slice(0, folderEnd),
          glob: path.slice(folderEnd),
          format: c.format,
          hive_partitioning: c.hive_partitioning,
          union_by_name: c.union_by_name,
          ...(c.csv ? { csv: c.csv } : {}),
        },
      };
    }
    if (n.kind === 'file_sink') {
      const path = String(c.path).replace(/^data\//, '').replace(/\.(parquet|csv)$/, '');
      return { ...n, kind: 'lake_sink', config: { connection: 'lake', path, format: c.format, partition_by: c.partition_by, order_by: c.order_by } };
    }
    return n;
  });
  return { ...p, name: `${p.name}_lake`, nodes } as Pipeline;
}

export function writeLakePipeline(ws: string): string {
  const { pipeline } = parsePipeline(readFileSync(join(ws, TEMPLATE_PIPELINE['cgt-batch-release']), 'utf8'));
  const file = join(ws, 'pipelines', 'batch_release_lake.weir.json');
  writeFileSync(file, serializePipeline(toLakePipeline(pipeline)));
  return file;
}

export async function getObject(s3: S3TestServer, bucket: string, key: string): Promise<Buffer> {
  const res = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

export async function listKeys(s3: S3TestServer, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const c of page.Contents ?? []) keys.push(c.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Rows of a query in a private DuckDB (not the engine's), for checking outputs independently. */
export async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

export const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
