// Publishing to PostgreSQL: Weir's streaming COPY against `psql \copy` of the same rows,
// and the runner's memory while it publishes.
//
//   node --expose-gc --import tsx bench/postgres-publish.ts [--rows 2000000] [--runs 3]
//
// Starts its own embedded PostgreSQL (see test/support/postgres-server.ts), builds the rows
// in DuckDB, publishes them with Weir (mode replace: staging table, COPY, swap), dumps the
// published table to a file and loads that file with `psql \copy` into a new table in one
// transaction, alternating the two. Prints rows/s of both, their ratio and the growth of
// the V8 heap and of the process RSS during Weir's publishes. --expose-gc makes the heap
// baseline exact; without it the figure is still printed, a little noisier.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { pgTarget, publishToPostgres } from '../src-main/engine';
import { startPostgres, type PostgresServer } from '../test/support/postgres-server';
import { sampleMemory } from './lib/memory';
import { measure } from './lib/stats';

const run = promisify(execFile);
const PSQL = process.env.PSQL ?? '/usr/bin/psql';
const MB = 2 ** 20;

export interface PublishBenchResult {
  rows: number;
  runs: number;
  /** Seconds per run. */
  weirSeconds: number[];
  psqlSeconds: number[];
  weirRowsPerSec: number;
  psqlRowsPerSec: number;
  /** Weir rows/s ÷ psql rows/s (medians). */
  ratio: number;
  /** Highest V8 heap in use above the baseline taken before each publish, MiB. */
  heapGrowthMB: number;
  /** Highest RSS above the baseline taken before each publish, MiB (DuckDB's native memory included). */
  rssGrowthMB: number;
  /** The table's size in PostgreSQL, MiB. */
  tableMB: number;
}

const median = (seconds: number[]) => measure(seconds, 's').median;

async function psql(server: PostgresServer, args: string[]): Promise<string> {
  const env = { ...process.env, ...server.env() };
  const { stdout } = await run(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], { env, maxBuffer: 16 * MB });
  return stdout;
}

/** Mart-like rows: ids, text keys, a zoned timestamp, a double, a decimal, a boolean, a label. */
function rowsSql(rows: number): string {
  return `CREATE OR REPLACE TABLE bench_rows AS
    SELECT i AS id,
           'B' || lpad((i % 20000)::VARCHAR, 5, '0') AS batch_id,
           TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS measured_at,
           (i % 1000) / 7.0 AS value,
           ((i % 100000) / 1000)::DECIMAL(12,3) AS amount,
           i % 3 = 0 AS flag,
           'viable cell count ' || (i % 97) AS label
      FROM range(${rows}) AS t(i)`;
}

export async function benchPostgresPublish(opts: { rows: number; runs: number; log?: (m: string) => void }): Promise<PublishBenchResult> {
  const log = opts.log ?? (() => {});
  const server = await startPostgres();
  const scratch = await mkdtemp(join(tmpdir(), 'weir-bench-pg-'));
  // Unlocked: the bench's own rows, not a pipeline's run.
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    log(`building ${opts.rows.toLocaleString('en-US')} rows in DuckDB`);
    await conn.run(rowsSql(opts.rows));
    // Every field given: no PG* fallback is asked for.
    const target = pgTarget('bench', { kind: 'postgres', host: server.host, port: server.port, database: server.database, user: server.user, password: server.password, sslmode: 'disable' }, () => undefined);
    const dump = join(scratch, 'rows.copy');
    const load = join(scratch, 'load.sql');
    await writeFile(
      load,
      [
        'BEGIN;',
        'DROP TABLE IF EXISTS public.bench_psql;',
        'CREATE TABLE public.bench_psql (LIKE public.bench_weir);',
        `\\copy public.bench_psql FROM '${dump}'`,
        'COMMIT;',
        '',
      ].join('\n'),
    );
    const weirSeconds: number[] = [];
    const psqlSeconds: number[] = [];
    let heapGrowthMB = 0;
    let rssGrowthMB = 0;
    for (let r = 0; r < opts.runs; r++) {
      // Growth above the memory in use just before this publish, sampled every 10 ms.
      const sampler = sampleMemory({ everyMs: 10, baseline: true });
      const t0 = performance.now();
      const res = await publishToPostgres(
        { target, schema: 'public', table: 'bench_weir', mode: 'replace', key: [], comments: { table: undefined, columns: {} }, lockTimeoutMs: 10_000, runId: `bench-${r}` },
        { conn, relation: 'bench_rows', signal: new AbortController().signal },
      );
      const s = (performance.now() - t0) / 1000;
      const mem = sampler.stop();
      if (res.rows !== opts.rows) throw new Error(`published ${res.rows} rows, expected ${opts.rows}`);
      weirSeconds.push(s);
      heapGrowthMB = Math.max(heapGrowthMB, mem.heapMB);
      rssGrowthMB = Math.max(rssGrowthMB, mem.rssMB);
      log(`weir run ${r + 1}: ${s.toFixed(2)} s, ${Math.round(opts.rows / s).toLocaleString('en-US')} rows/s, heap +${mem.heapMB.toFixed(1)} MiB, rss +${mem.rssMB.toFixed(1)} MiB`);

      if (r === 0) await psql(server, ['-c', `\\copy public.bench_weir TO '${dump}'`]);
      const p0 = performance.now();
      await psql(server, ['-f', load]);
      const ps = (performance.now() - p0) / 1000;
      psqlSeconds.push(ps);
      log(`psql run ${r + 1}: ${ps.toFixed(2)} s, ${Math.round(opts.rows / ps).toLocaleString('en-US')} rows/s`);
    }
    const [check] = await server.query<{ same: boolean; mb: string }>(
      `SELECT (SELECT count(*) FROM bench_weir) = (SELECT count(*) FROM bench_psql)
              AND NOT EXISTS (SELECT * FROM bench_weir EXCEPT SELECT * FROM bench_psql) AS same,
              (pg_total_relation_size('bench_weir') / 1048576.0)::text AS mb`,
    );
    if (!check?.same) throw new Error('the psql copy and the Weir publish differ');
    const weirRowsPerSec = opts.rows / median(weirSeconds);
    const psqlRowsPerSec = opts.rows / median(psqlSeconds);
    return {
      rows: opts.rows,
      runs: opts.runs,
      weirSeconds,
      psqlSeconds,
      weirRowsPerSec,
      psqlRowsPerSec,
      ratio: weirRowsPerSec / psqlRowsPerSec,
      heapGrowthMB,
      rssGrowthMB,
      tableMB: Number(check.mb),
    };
  } finally {
    conn.closeSync();
    await server.teardown();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '2000000' }, runs: { type: 'string', default: '3' } } });
  const rows = Number(values.rows);
  const runs = Number(values.runs);
  if (!Number.isSafeInteger(rows) || rows < 1 || !Number.isSafeInteger(runs) || runs < 1) {
    console.error('usage: node --expose-gc --import tsx bench/postgres-publish.ts [--rows N] [--runs N]');
    process.exit(2);
  }
  const r = await benchPostgresPublish({ rows, runs, log: (m) => process.stderr.write(`[pg-publish] ${m}\n`) });
  const f = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`rows                 ${f(r.rows)} (${r.tableMB.toFixed(0)} MiB in PostgreSQL), ${r.runs} runs, medians`);
  console.log(`weir publish         ${f(r.weirRowsPerSec)} rows/s  (${median(r.weirSeconds).toFixed(2)} s)`);
  console.log(`psql \\copy baseline  ${f(r.psqlRowsPerSec)} rows/s  (${median(r.psqlSeconds).toFixed(2)} s)`);
  console.log(`ratio weir/psql      ${r.ratio.toFixed(2)}`);
  console.log(`runner heap growth   ${r.heapGrowthMB.toFixed(1)} MiB (peak above the pre-publish baseline${(globalThis as { gc?: unknown }).gc ? '' : '; run with --expose-gc for an exact baseline'})`);
  console.log(`runner RSS growth    ${r.rssGrowthMB.toFixed(1)} MiB (DuckDB's native buffers included)`);
  console.log(JSON.stringify(r));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(`pg-publish: ${(e as Error).message}`);
    process.exit(1);
  });
}
