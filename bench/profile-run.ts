// Where a run's time goes beyond the SQL itself. Each plan statement is timed raw, then,
// per relation, what the engine adds on top: the statistics a run records (a table's row
// count and order-independent hash; a view's row count, or its hash too with --hash-views,
// as `weir run --hash-views`), and for tables what filling the node cache costs (writing
// the result as zstd Parquet); per file source, hashing its input files (the cache key).
//   npx tsx bench/profile-run.ts PIPELINE_FILE [--hash-views]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { fileSha256, ident, literal, queryRows, relationRowCount, relationStats, setParamVariables } from '../src-main/engine';
import { loadPlan } from './tasks/pipeline-tasks';

async function timed<T>(f: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await f();
  return Math.round(performance.now() - t0);
}

async function main(): Promise<void> {
  const file = process.argv[2];
  const hashViews = process.argv.includes('--hash-views');
  if (!file) throw new Error('usage: npx tsx bench/profile-run.ts PIPELINE_FILE');
  const lp = await loadPlan(file, `bench-profile-${process.pid}`);
  const scratch = await mkdtemp(join(tmpdir(), 'weir-bench-profile-'));
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await setParamVariables(conn, lp.plan.pipeline.params, lp.params);
  const rows: { node: string; relation: string; sqlMs: number; statsMs: number; cacheWriteMs: number | null; inputHashMs: number | null }[] = [];
  try {
    for (const p of lp.plan.nodes) {
      if (p.node.kind.endsWith('_sink')) continue;
      let inputHashMs: number | null = null;
      if (p.node.kind === 'file_source') {
        const pattern = resolve(lp.root, String((p.ctx.config as { path: string }).path));
        const files = (await queryRows(conn, `SELECT file FROM glob(${literal(pattern)})`)).map((r) => String(r.file));
        inputHashMs = await timed(() => Promise.all(files.map((f) => fileSha256(f))));
      }
      const sqlMs = await timed(async () => {
        for (const s of p.compiled.statements) await conn.run(s);
      });
      const statsMs =
        p.compiled.relation === 'table' || (p.compiled.relation === 'view' && hashViews)
          ? await timed(() => relationStats(conn, p.node.name))
          : p.compiled.relation === 'view'
            ? await timed(() => relationRowCount(conn, p.node.name))
            : 0;
      const cacheWriteMs =
        p.compiled.relation === 'table' ? await timed(() => conn.run(`COPY ${ident(p.node.name)} TO ${literal(join(scratch, `${p.node.id}.parquet`))} (FORMAT parquet, COMPRESSION 'zstd')`)) : null;
      rows.push({ node: p.node.name, relation: p.compiled.relation, sqlMs, statsMs, cacheWriteMs, inputHashMs });
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
    await rm(scratch, { recursive: true, force: true });
  }
  console.table(rows);
  const sum = (k: 'sqlMs' | 'statsMs' | 'cacheWriteMs' | 'inputHashMs') => rows.reduce((s, r) => s + (r[k] ?? 0), 0);
  console.log(`statements ${sum('sqlMs')} ms; on top: statistics ${sum('statsMs')} ms, cache writes ${sum('cacheWriteMs')} ms, input hashing ${sum('inputHashMs')} ms (sinks not run)`);
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
