import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../../shared/pipeline/partitions';
import { runWeir, WEIR_BIN } from '../../support/cli';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { sharedS3, uniqueBucket } from '../../support/s3-bucket';
import { S3RVER_KEY, type S3TestServer } from '../../support/s3-server';
import { tempDir } from '../../support/temp-dir';
import { MART_CONNECTION } from '../postgres/workspace';

const BUCKET = uniqueBucket('lots');
const LOTS = Array.from({ length: 12 }, (_, i) => `L${String(i + 1).padStart(3, '0')}`);

/** A pipeline reading hive lot folders from the lake and publishing each lot to a lake prefix and a mart table. */
function pipeline(name: string, out: string, table: string) {
  return {
    format: 'weir.pipeline',
    version: 1,
    name,
    params: {},
    partitions: { key: 'batch_id', sources: { raw: { hive: true } } },
    nodes: [
      { id: 'raw', name: 'raw', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'raw/', glob: 'batch_id=*/*.csv', format: 'csv', hive_partitioning: true } },
      {
        id: 'rows',
        name: 'rows',
        kind: 'sql',
        inputs: ['raw'],
        config: {
          materialize: 'table',
          // Slow enough (a second or so) that a kill lands inside a lot.
          sql: ['select batch_id::varchar as batch_id, id::int as id, value::int * 2 as doubled,', '  (select count(*) from range(40000000) t(x) where x % 7 = id) as spin', 'from raw'],
        },
      },
      { id: 'out', name: 'out', kind: 'lake_sink', inputs: ['rows'], config: { connection: 'lake', path: out, format: 'csv', order_by: ['id'] } },
      { id: 'mart', name: 'mart', kind: 'postgres_sink', inputs: ['rows'], config: { connection: 'mart', table, mode: 'replace_partition' } },
    ],
    layout: {},
  };
}

describe('four --shard workers against one lake and one mart, one killed mid-lot', () => {
  let s3: S3TestServer;
  let pg: PostgresServer;
  let root: string;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];
  const file = () => join(root, 'pipelines', 'lots.weir.json');

  async function body(key: string): Promise<string> {
    const got = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return await got.Body!.transformToString();
  }
  async function keys(prefix: string): Promise<string[]> {
    const out = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (out.Contents ?? []).map((c) => c.Key!);
  }
  /** What readers of a lot's output see: the files its manifest names, by path and content hash. */
  async function published(prefix: string, lot: string): Promise<{ path: string; sha256?: string }[] | null> {
    const key = `${prefix}/batch_id=${lot}/_manifest.json`;
    if (!(await keys(key)).includes(key)) return null;
    const m = JSON.parse(await body(key)) as { files: { path: string; sha256?: string }[] };
    return m.files.map((f) => ({ path: f.path, sha256: f.sha256 }));
  }

  beforeAll(async () => {
    s3 = sharedS3();
    await s3.createBucket(BUCKET);
    pg = await postgresDatabase();
    root = tempDir('weir-lots-shards-');
    writeFileSync(
      join(root, 'weir.workspace.json'),
      JSON.stringify({
        format: 'weir.workspace',
        version: 1,
        default_environment: 'dev',
        environments: {
          dev: { connections: { lake: { kind: 's3', endpoint: '${env:LAKE_ENDPOINT}', bucket: '${env:LAKE_BUCKET}', region: 'us-east-1', force_path_style: true }, mart: MART_CONNECTION } },
        },
      }),
    );
    mkdirSync(join(root, 'pipelines'));
    writeFileSync(file(), JSON.stringify(pipeline('lots', 'curated/rows', 'results')));
    writeFileSync(join(root, 'pipelines', 'ref.weir.json'), JSON.stringify(pipeline('ref', 'reference/rows', 'ref_results')));
    for (const [i, lot] of LOTS.entries()) {
      await s3.put(BUCKET, `raw/batch_id=${lot}/rows.csv`, `id,value\n${[1, 2, 3].map((id) => `${id},${i * 10 + id}`).join('\n')}\n`);
    }
    env = {
      AWS_ACCESS_KEY_ID: S3RVER_KEY,
      AWS_SECRET_ACCESS_KEY: S3RVER_KEY,
      LAKE_ENDPOINT: s3.endpoint,
      LAKE_BUCKET: BUCKET,
      MART_HOST: pg.host,
      MART_PORT: String(pg.port),
      MART_DB: pg.database,
      MART_USER: pg.user,
      MART_PASSWORD: pg.password,
    };
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await pg?.teardown();
    await s3?.stop();
  });

  /**
   * `weir run --shard i/4 --json`, a lot at a time (so that the victim's first lot has published
   * when it dies: lot-concurrency.test.ts kills a process with two lots under way); the victim is
   * SIGKILLed once its second lot is computing.
   */
  function worker(i: number, victim: boolean): Promise<{ code: number | null; killedLot: string | null }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [WEIR_BIN, 'run', file(), '--shard', `${i}/4`, '--lot-concurrency', '1', '--json', '--no-cache'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let buffer = '';
      let lotsStarted = 0;
      let killedLot: string | null = null;
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        buffer += c;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          const e = JSON.parse(line) as { type: string; name?: string };
          if (e.type === 'run_started') lotsStarted++;
          // The lot's SQL is computing: nothing of this lot is published yet.
          if (victim && lotsStarted === 2 && e.type === 'node_started' && e.name === 'rows' && !killedLot) {
            killedLot = shardLots(i)[1]!;
            child.kill('SIGKILL');
          }
        }
      });
      child.on('error', reject);
      child.on('close', (code) => (code === null || code === 0 || victim ? resolve({ code, killedLot }) : reject(new Error(`worker ${i} exited ${code}: ${stderr}`))));
    });
  }
  const shardLots = (i: number) => LOTS.filter((l) => shardOf(l, 4) === i);

  it('publish every lot once, leave the killed lot unpublished and re-runnable, and match one process', { timeout: 600_000 }, async () => {
    const victim = [0, 1, 2, 3].find((i) => shardLots(i).length >= 3)!;
    const results = await Promise.all([0, 1, 2, 3].map((i) => worker(i, i === victim)));
    const killed = results[victim]!.killedLot!;
    expect(results[victim]!.code).toBeNull();
    expect(killed).toBe(shardLots(victim)[1]);
    for (const [i, r] of results.entries()) if (i !== victim) expect(r.code).toBe(0);

    // The killed lot published nothing, anywhere; its state was never written.
    expect(await published('curated/rows', killed)).toBeNull();
    expect(await pg.query('SELECT count(*)::int AS n FROM public.results WHERE batch_id = $1', [killed])).toEqual([{ n: 0 }]);
    const listed = await runWeir(['partitions', file(), '--json'], { cwd: root, env });
    expect(listed.code).toBe(0);
    const states = JSON.parse(listed.stdout) as { key: string; partitions: { key: string; state: string }[] };
    expect(states.key).toBe('batch_id');
    const notDone = shardLots(victim).slice(1);
    expect(states.partitions.filter((p) => p.state !== 'up_to_date').map((p) => p.key)).toEqual(notDone);
    expect(states.partitions.find((p) => p.key === killed)!.state).toBe('new');
    // The lot states live in the lake beside the output, one object per lot.
    expect((await keys('curated/rows/_lots/')).length).toBe(LOTS.length - notDone.length);

    // The next run (any machine) runs exactly what is left.
    const rerun = await runWeir(['run', file(), '--json'], { cwd: root, env });
    expect(rerun.code, rerun.stderr).toBe(0);
    const lots = JSON.parse(rerun.stdout.trim().split('\n').at(-1)!) as { type: string; lots: { key: string; outcome: string }[] };
    expect(lots.type).toBe('lots');
    expect(lots.lots.map((l) => [l.key, l.outcome])).toEqual(notDone.map((k) => [k, 'succeeded']));

    // One process running every lot gives the same outputs.
    const ref = await runWeir(['run', join(root, 'pipelines', 'ref.weir.json'), '--partitions', 'all', '--no-cache'], { cwd: root, env });
    expect(ref.code, ref.stderr).toBe(0);
    for (const lot of LOTS) {
      const mine = await published('curated/rows', lot);
      expect(mine, lot).not.toBeNull();
      expect(mine).toEqual(await published('reference/rows', lot));
    }
    const rows = (t: string) => pg.query(`SELECT batch_id, id, doubled, spin FROM public.${t} ORDER BY batch_id, id`);
    const union = await rows('results');
    expect(union).toHaveLength(LOTS.length * 3);
    expect(union).toEqual(await rows('ref_results'));
  });
});
