import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '../../test/support/s3-server';
import { DuckDBInstance } from '@duckdb/node-api';
import { closeObjectStore, localCopies, visibleObjects } from '../../src-main/engine';
import { benchEngine } from '../lib/engine';
import { readFunction } from '../../shared/nodes/file-source';

export interface S3Target {
  endpoint: string;
  bucket: string;
  accessKey: string;
  /** Key prefix of the objects, e.g. `raw/bioreactor/`. */
  prefix: string;
  keys: string[];
}

export interface TimedBytes {
  ms: number;
  bytes: number;
}

/** Weir's download path: the lake source's listing, then its object cache (cold: a new folder each time). */
export async function weirS3Download(t: S3Target): Promise<TimedBytes> {
  const root = await mkdtemp(join(tmpdir(), 'weir-bench-s3w-'));
  const store = await benchEngine().context.clients.objectStore('lake', { kind: 's3', bucket: t.bucket, endpoint: t.endpoint, region: 'us-east-1', force_path_style: true, access_key_id: t.accessKey, secret_access_key: t.accessKey, root: '' }, { workspaceRoot: root });
  try {
    const t0 = performance.now();
    const objects = await visibleObjects(store, t.prefix);
    const copies = await localCopies(store, objects, root, new AbortController().signal);
    const ms = performance.now() - t0;
    return { ms, bytes: copies.reduce((s, c) => s + c.input.size, 0) };
  } finally {
    closeObjectStore(store);
    await rm(root, { recursive: true, force: true });
  }
}

/** The test suite's client for s3rver (the bench's server is s3rver too, with its fixed key). */
const rawClient = (t: S3Target): S3Client => s3Client(t.endpoint);

/**
 * The baseline: the prefix listed (as Weir lists it), then one plain GetObject per object,
 * all at once, each body streamed to a file.
 */
async function getAll(client: S3Client, t: S3Target, dir: string): Promise<number> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: t.bucket, Prefix: t.prefix }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!).filter((k) => t.keys.includes(k));
  if (keys.length !== t.keys.length) throw new Error(`listing ${t.prefix} found ${keys.length} of ${t.keys.length} objects`);
  const sizes = await Promise.all(
    keys.map(async (key) => {
      const res = await client.send(new GetObjectCommand({ Bucket: t.bucket, Key: key }));
      const dest = join(dir, key);
      await mkdir(dirname(dest), { recursive: true });
      await pipeline(res.Body as Readable, createWriteStream(dest));
      return Number(res.ContentLength ?? 0);
    }),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

export async function rawS3Download(t: S3Target): Promise<TimedBytes> {
  const dir = await mkdtemp(join(tmpdir(), 'weir-bench-s3r-'));
  const client = rawClient(t);
  try {
    const t0 = performance.now();
    const bytes = await getAll(client, t, dir);
    return { ms: performance.now() - t0, bytes };
  } finally {
    client.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The baseline for staging: the same GetObjects, then the same CREATE TABLE over the files in raw DuckDB. */
export async function rawS3Stage(t: S3Target & { table: string }): Promise<TimedBytes & { downloadMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'weir-bench-s3r-'));
  const client = rawClient(t);
  try {
    const t0 = performance.now();
    const bytes = await getAll(client, t, dir);
    const downloadMs = performance.now() - t0;
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const files = t.keys.map((k) => join(dir, k));
    await conn.run(`CREATE TABLE ${t.table} AS SELECT * FROM ${readFunction(files, { format: 'parquet', hive_partitioning: true })}`);
    const ms = performance.now() - t0;
    conn.closeSync();
    instance.closeSync();
    return { ms, bytes, downloadMs };
  } finally {
    client.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
