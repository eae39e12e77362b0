// The kill campaign (docs/reliability.md): runs `weir run` (the committed CLI) for each sink
// kind and SIGKILLs it at random points and right after a sink published, then checks that
// every output is complete (the previous one or the new one, never a mix), that the audit
// trail explains what was published, and how much litter the killed runs left before and
// after the next run.
//
//   npx tsx bench/kill-campaign.ts [--kills 20] [--kinds file,partitioned,lake,postgres] [--json OUT]
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { WEIR_BIN, runWeir } from '../test/support/cli';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server';
import { S3RVER_KEY, startS3Server, type S3TestServer } from '../test/support/s3-server';

type Kind = 'file' | 'partitioned' | 'lake' | 'postgres';

const { values } = parseArgs({
  options: { kills: { type: 'string', default: '20' }, kinds: { type: 'string', default: 'file,partitioned,lake,postgres' }, json: { type: 'string' } },
});
const KILLS = Number(values.kills);
const KINDS = String(values.kinds).split(',') as Kind[];
const ROWS = 400_000;

interface KindResult {
  kind: Kind;
  randomKills: number;
  targetedKills: number;
  /** Kills after which every output was complete (old or new) and the audit trail intact. */
  survived: number;
  /** Kills after which the run had published its output (new version visible). */
  publishedBeforeKill: number;
  littersBefore: { files: number; bytes: number };
  littersAfterNextRun: { files: number; bytes: number };
  littersAfterGc: { files: number; bytes: number };
  problems: string[];
}

function log(m: string): void {
  process.stderr.write(`[kills ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
}

/** Files and bytes of what killed runs leave: staging beside targets, scratch folders, lake objects no manifest names. */
function localLitter(ws: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string, depth: number) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const stray = /\.weir-.*\.tmp/.test(e.name) || e.name.endsWith('.tmp');
      if (e.isDirectory()) {
        if (e.name === '.git') continue;
        if (stray) {
          const sub = localLitter(p);
          files += sub.files + 1;
          bytes += sub.bytes;
        } else if (depth < 8) walk(p, depth + 1);
      } else if (stray) {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(ws, 0);
  return { files, bytes };
}

const STARTED = Date.now();

/** Scratch folders left since the campaign started (the scratch root is shared with every other Weir process of this user). */
function scratchLitter(): { files: number; bytes: number } {
  const root = join(tmpdir(), `weir-scratch-${process.getuid?.() ?? 'user'}`);
  let files = 0;
  try {
    files = readdirSync(root).filter((n) => statSync(join(root, n)).mtimeMs >= STARTED).length;
  } catch {
    // no scratch root: nothing left
  }
  return { files, bytes: 0 };
}

async function lakeLitter(s3: S3TestServer): Promise<{ files: number; bytes: number }> {
  const out = await s3.client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'curated/out/' }));
  const all = out.Contents ?? [];
  const manifest = all.find((o) => o.Key === 'curated/out/_manifest.json');
  if (!manifest) return { files: all.length, bytes: all.reduce((n, o) => n + (o.Size ?? 0), 0) };
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const body = await (await s3.client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'curated/out/_manifest.json' }))).Body!.transformToString();
  const m = JSON.parse(body) as { files: { key: string }[]; superseded?: { keys: string[] }[] };
  const named = new Set([...m.files.map((f) => `curated/out/${f.key}`), ...(m.superseded ?? []).flatMap((s) => s.keys.map((k) => `curated/out/${k}`)), 'curated/out/_manifest.json']);
  const stray = all.filter((o) => !named.has(o.Key!));
  return { files: stray.length, bytes: stray.reduce((n, o) => n + (o.Size ?? 0), 0) };
}

function workspace(kind: Kind, s3: S3TestServer | null, pg: PostgresServer | null): { ws: string; file: string } {
  const ws = join(tmpdir(), `weir-kills-${kind}-${process.pid}`);
  mkdirSync(join(ws, 'pipelines'), { recursive: true });
  const connections: Record<string, unknown> = {};
  if (s3) connections.lake = { kind: 's3', endpoint: s3.endpoint, bucket: 'lake', access_key_id: S3RVER_KEY, secret_access_key: S3RVER_KEY, multipart_threshold_mb: 5, part_size_mb: 5 };
  if (pg) connections.mart = { kind: 'postgres', host: pg.host, port: pg.port, database: pg.database, user: pg.user, password: pg.password, sslmode: 'disable' };
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: { dev: { connections } } }));
  const sinks: Record<Kind, object> = {
    file: { id: 'out', name: 'out', kind: 'file_sink', inputs: ['rows'], config: { path: 'curated/out.parquet', format: 'parquet' } },
    partitioned: { id: 'out', name: 'out', kind: 'file_sink', inputs: ['rows'], config: { path: 'curated/parts', format: 'parquet', partition_by: ['g'] } },
    lake: { id: 'out', name: 'out', kind: 'lake_sink', inputs: ['rows'], config: { connection: 'lake', path: 'curated/out', format: 'parquet' } },
    postgres: { id: 'out', name: 'out', kind: 'postgres_sink', inputs: ['rows'], config: { connection: 'mart', table: 'kills', mode: 'replace' } },
  };
  const nodes = [
    { id: 'rows', name: 'rows', kind: 'sql', inputs: [], config: { sql: [`select i, i % 23 as g, getvariable('v') as v, md5(i::varchar || getvariable('v')) as h from range(${ROWS}) t(i)`] } },
    sinks[kind],
  ];
  const file = join(ws, 'pipelines', 'kills.weir.json');
  writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'kills', params: { v: { type: 'integer', default: 0 } }, nodes }, null, 2));
  return { ws, file };
}

/** The version of the output readers see now: the one `v` every row has, or a problem. */
async function visibleVersion(kind: Kind, ws: string, s3: S3TestServer | null, pg: PostgresServer | null): Promise<number | string> {
  let rows: { n: bigint; vs: bigint; v: number | null }[] = [];
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    if (kind === 'file' || kind === 'partitioned') {
      const glob = kind === 'file' ? join(ws, 'curated/out.parquet') : join(ws, 'curated/parts/*/*.parquet');
      rows = (await conn.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT v) AS vs, any_value(v) AS v FROM read_parquet('${glob}')`)).getRowObjects() as never;
    } else if (kind === 'lake' && s3) {
      const out = await runWeir(['run', join(ws, 'pipelines', 'read.weir.json'), '--no-record', '--json'], {});
      if (out.code !== 0) return `lake_source cannot read the output: ${out.stderr.trim()}`;
      const [, line] = readFileSync(join(ws, 'read-count.csv'), 'utf8').trim().split('\n');
      const [n, vs, v] = (line ?? '').split(',').map(Number) as [number, number, number];
      rows = [{ n: BigInt(n), vs: BigInt(vs), v }];
    } else if (kind === 'postgres' && pg) {
      const r = await pg.query('SELECT count(*)::int AS n, count(DISTINCT v)::int AS vs, min(v)::int AS v FROM public.kills');
      rows = r.map((x) => ({ n: BigInt(x.n as number), vs: BigInt(x.vs as number), v: x.v as number }));
    }
  } finally {
    conn.closeSync();
  }
  const r = rows[0];
  if (!r) return 'no output';
  if (Number(r.n) !== ROWS) return `${r.n} rows instead of ${ROWS}`;
  if (Number(r.vs) !== 1) return `a mix of ${r.vs} versions`;
  return Number(r.v);
}

function lakeReader(ws: string): void {
  // A second pipeline that reads the lake output with lake_source and writes its counts locally.
  const nodes = [
    { id: 'src', name: 'src', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'curated/out/', format: 'parquet' } },
    { id: 'cnt', name: 'cnt', kind: 'sql', inputs: ['src'], config: { sql: ['select count(*) as n, count(distinct v) as vs, any_value(v) as v from src'] } },
    { id: 'w', name: 'w', kind: 'file_sink', inputs: ['cnt'], config: { path: 'read-count.csv', format: 'csv' } },
  ];
  writeFileSync(join(ws, 'pipelines', 'read.weir.json'), JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'read', nodes }, null, 2));
}

/** Starts a run; kills it after `delayMs`, or right after its sink published when `afterPublish`. */
function killedRun(file: string, v: number, how: { delayMs: number } | 'afterPublish'): Promise<{ published: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WEIR_BIN, 'run', file, '--json', '--param', `v=${v}`], { stdio: ['ignore', 'pipe', 'ignore'] });
    let published = false;
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (!published && out.includes('"type":"node_published"')) {
        published = true;
        if (how === 'afterPublish') child.kill('SIGKILL');
      }
    });
    const timer = how === 'afterPublish' ? null : setTimeout(() => child.kill('SIGKILL'), how.delayMs);
    child.on('exit', () => {
      if (timer) clearTimeout(timer);
      resolve({ published });
    });
  });
}

async function campaign(kind: Kind, s3: S3TestServer | null, pg: PostgresServer | null): Promise<KindResult> {
  const { ws, file } = workspace(kind, s3, pg);
  if (kind === 'lake') lakeReader(ws);
  const result: KindResult = { kind, randomKills: 0, targetedKills: 0, survived: 0, publishedBeforeKill: 0, littersBefore: { files: 0, bytes: 0 }, littersAfterNextRun: { files: 0, bytes: 0 }, littersAfterGc: { files: 0, bytes: 0 }, problems: [] };
  const t0 = Date.now();
  const first = await runWeir(['run', file, '--param', 'v=0']);
  if (first.code !== 0) throw new Error(`${kind}: the first run failed: ${first.stderr}`);
  const runMs = Date.now() - t0;
  let current = 0;
  const litter = async () => {
    const a = localLitter(ws);
    const b = scratchLitter();
    const c = kind === 'lake' && s3 ? await lakeLitter(s3) : { files: 0, bytes: 0 };
    return { files: a.files + b.files + c.files, bytes: a.bytes + b.bytes + c.bytes };
  };
  for (let i = 0; i < KILLS + Math.max(3, Math.round(KILLS / 4)); i++) {
    const targeted = i >= KILLS;
    const v = i + 1;
    const { published } = await killedRun(file, v, targeted ? 'afterPublish' : { delayMs: Math.round(Math.random() * runMs * 1.2) });
    if (targeted) result.targetedKills++;
    else result.randomKills++;
    const seen = await visibleVersion(kind, ws, s3, pg);
    const verify = await runWeir(['audit', 'verify', '--workspace', ws]);
    let ok = true;
    if (typeof seen === 'string') {
      ok = false;
      result.problems.push(`kill ${i + 1}: ${seen}`);
    } else if (seen !== current && seen !== v) {
      ok = false;
      result.problems.push(`kill ${i + 1}: version ${seen} is neither the previous (${current}) nor the new (${v})`);
    } else {
      if (seen === v) result.publishedBeforeKill++;
      current = seen;
    }
    if (verify.code !== 0) {
      ok = false;
      result.problems.push(`kill ${i + 1}: audit verify: ${verify.stdout.trim().split('\n').slice(0, 3).join(' / ')}`);
    }
    if (published && seen === v && !/intent|died while publishing/.test(verify.stdout) && !verify.stdout.includes('intact')) {
      result.problems.push(`kill ${i + 1}: published but the audit trail does not say so`);
    }
    if (ok) result.survived++;
  }
  result.littersBefore = await litter();
  const next = await runWeir(['run', file, '--param', `v=${current + 1000}`]);
  if (next.code !== 0) result.problems.push(`the run after the kills failed: ${next.stderr.trim()}`);
  result.littersAfterNextRun = await litter();
  const gc = await runWeir(['gc', '--workspace', ws]);
  if (gc.code !== 0) result.problems.push(`weir gc failed: ${gc.stderr.trim()}`);
  result.littersAfterGc = await litter();
  log(`${kind}: ${result.survived}/${result.randomKills + result.targetedKills} survived; litter ${result.littersBefore.files} → ${result.littersAfterNextRun.files}`);
  return result;
}

async function main(): Promise<void> {
  const s3 = KINDS.includes('lake') ? await startS3Server() : null;
  if (s3) await s3.createBucket('lake');
  const pg = KINDS.includes('postgres') ? await startPostgres() : null;
  const results: KindResult[] = [];
  try {
    for (const kind of KINDS) {
      log(`${kind}: ${KILLS} random kills and targeted kills after publishing`);
      results.push(await campaign(kind, kind === 'lake' ? s3 : null, kind === 'postgres' ? pg : null));
    }
  } finally {
    await s3?.stop();
    await pg?.teardown();
  }
  const table = [
    '| sink | random kills | kills right after publishing | survived (output complete, trail intact) | published before the kill | litter left by the last kill | after the next run | after `weir gc` |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.kind} | ${r.randomKills} | ${r.targetedKills} | ${r.survived} / ${r.randomKills + r.targetedKills} | ${r.publishedBeforeKill} | ${r.littersBefore.files} items, ${(r.littersBefore.bytes / 1e6).toFixed(1)} MB | ${r.littersAfterNextRun.files} items, ${(r.littersAfterNextRun.bytes / 1e6).toFixed(1)} MB | ${r.littersAfterGc.files} items, ${(r.littersAfterGc.bytes / 1e6).toFixed(1)} MB |`,
    ),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  for (const r of results) for (const p of r.problems) process.stdout.write(`- ${r.kind}: ${p}\n`);
  if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
}

await main();
