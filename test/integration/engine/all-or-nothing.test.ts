import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/run/record';
import { runPipelineFile } from '../../support/engine';
import { readAuditEntries } from '../../../src-main/engine/audit/audit-log';
import { treeHashes } from '../../support/find-files';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';
import { runWeir } from '../../support/cli';

/**
 * All-or-nothing publishing (DESIGN, "Running"): one pipeline with a check that fails on one
 * branch and sinks of every kind on the others (file, partitioned file, lake on the S3 test
 * server, PostgreSQL). By default nothing is published anywhere; with `--publish partial`
 * only the healthy branches are.
 */

const BUCKET = uniqueBucket('lake');

describe('a run whose check fails on one branch', () => {
  let s3: S3TestServer;
  let pg: PostgresServer;
  let ws: string;
  let file: string;

  const lakeKeys = async () => {
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const out = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    return (out.Contents ?? []).map((o) => o.Key!).sort();
  };
  const martRows = async () => {
    const found = await pg.query(`SELECT to_regclass('public.mart_out') AS t`);
    if (!found[0]?.t) return null;
    return (await pg.query('SELECT n FROM public.mart_out ORDER BY n')).map((r) => Number(r.n));
  };

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    pg = await postgresDatabase();
    ws = tempDir('weir-all-or-nothing-');
    mkdirSync(join(ws, 'pipelines'));
    const lake = { kind: 's3', endpoint: s3.endpoint, bucket: BUCKET, access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY };
    const mart = { kind: 'postgres', host: pg.host, port: pg.port, database: pg.database, user: pg.user, password: pg.password, sslmode: 'disable' };
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections: { lake, mart } } } }));
    const rows = { columns: [{ name: 'n', type: 'INTEGER' }, { name: 'g', type: 'VARCHAR' }], rows: [[1, 'a'], [2, 'b'], [3, 'a']] };
    const nodes = [
      { id: 'rows', name: 'rows', kind: 'seed', inputs: [], config: rows },
      // The failing branch: a check that blocks, and a sink behind it.
      { id: 'chk', name: 'chk', kind: 'check', inputs: ['rows'], config: { rules: [{ type: 'row_count', max: 1, severity: 'error' }] } },
      { id: 'blocked', name: 'blocked', kind: 'file_sink', inputs: ['chk'], config: { path: 'out/blocked.parquet', format: 'parquet' } },
      // Healthy branches, one sink of every kind.
      { id: 'file', name: 'file', kind: 'file_sink', inputs: ['rows'], config: { path: 'out/file.parquet', format: 'parquet' } },
      { id: 'parts', name: 'parts', kind: 'file_sink', inputs: ['rows'], config: { path: 'out/parts', format: 'parquet', partition_by: ['g'] } },
      { id: 'lake_out', name: 'lake_out', kind: 'lake_sink', inputs: ['rows'], config: { connection: 'lake', path: 'curated/out', format: 'parquet' } },
      { id: 'mart_out', name: 'mart_out', kind: 'postgres_sink', inputs: ['rows'], config: { connection: 'mart', schema: 'public', table: 'mart_out', mode: 'replace' } },
    ];
    file = join(ws, 'pipelines', 'branches.weir.json');
    writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'branches', nodes }, null, 2));
  });
  afterAll(async () => {
    await s3?.stop();
    await pg?.teardown();
  });

  it('publishes nothing anywhere by default, and the record says so', async () => {
    const out = await runPipelineFile({ file });
    expect(out.status).toBe('failed');
    expect(out.error?.message).toMatch(/check/);
    expect(existsSync(join(ws, 'out'))).toBe(false);
    expect(await lakeKeys()).toEqual([]);
    expect(await martRows()).toBeNull();
    expect(out.record.publishing).toEqual({ mode: 'all', published: [], discarded: ['file', 'parts', 'lake_out', 'mart_out'], failed: [] });
    for (const n of ['file', 'parts', 'lake_out', 'mart_out']) expect(out.record.nodes.find((x) => x.name === n)?.publish).toBe('discarded');
    // No staging left behind: no temporary files beside the targets, no staging table.
    expect(Object.keys(treeHashes(ws)).filter((k) => !k.startsWith('.weir/') && !k.startsWith('pipelines/'))).toEqual(['weir.workspace.json']);
    expect(await pg.query(`SELECT relname FROM pg_class WHERE relname LIKE '%weir_stage%'`)).toEqual([]);
    // No intent was recorded: nothing was about to be published.
    const entries = await readAuditEntries(ws);
    expect(entries.map((e) => (e.record as { format: string }).format)).toEqual(['weir.run']);
  });

  it('with --publish partial publishes exactly the healthy branches, and records the mode', async () => {
    const run = await runWeir(['run', file, '--publish', 'partial']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(ws, 'out/file.parquet'))).toBe(true);
    expect(existsSync(join(ws, 'out/parts/g=a'))).toBe(true);
    expect(existsSync(join(ws, 'out/blocked.parquet'))).toBe(false);
    expect(await lakeKeys()).toContain('curated/out/_manifest.json');
    expect(await martRows()).toEqual([1, 2, 3]);
    const entries = await readAuditEntries(ws);
    const last = entries[entries.length - 1]!.record as RunRecord;
    expect(last.publishing).toMatchObject({ mode: 'partial', published: ['file', 'parts', 'lake_out', 'mart_out'], discarded: [], failed: [] });
    // The intent came first, naming every sink it was about to publish.
    const intent = entries[entries.length - 2]!.record as unknown as { format: string; sinks: { node: string }[] };
    expect(intent.format).toBe('weir.publish_intent');
    expect(intent.sinks.map((s) => s.node)).toEqual(['file', 'parts', 'lake_out', 'mart_out']);
  });

  it('a later failing run in the default mode leaves every earlier output exactly as it was', async () => {
    const files = treeHashes(join(ws, 'out'));
    const manifest = readFileSync(join(ws, 'out/file.parquet'));
    const keys = await lakeKeys();
    const out = await runPipelineFile({ file, useCache: false });
    expect(out.status).toBe('failed');
    expect(treeHashes(join(ws, 'out'))).toEqual(files);
    expect(readFileSync(join(ws, 'out/file.parquet')).equals(manifest)).toBe(true);
    expect(await lakeKeys()).toEqual(keys);
    expect(await martRows()).toEqual([1, 2, 3]);
    const v = await runWeir(['audit', 'verify', '--workspace', ws]);
    expect(v.code, v.stdout).toBe(0);
  });
});
