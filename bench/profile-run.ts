// Where a run's time goes beyond the SQL itself: each plan statement timed raw, then the
// engine's per-relation statistics (row count + order-independent hash) timed on top.
//   npx tsx bench/profile-run.ts PIPELINE_FILE
import { DuckDBInstance } from '@duckdb/node-api';
import { setParamVariables } from '../src-main/engine/run/params';
import { relationStats } from '../src-main/engine/run/relation-stats';
import { loadPlan } from './tasks/pipeline-tasks';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: npx tsx bench/profile-run.ts PIPELINE_FILE');
  const lp = await loadPlan(file, `bench-profile-${process.pid}`);
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await setParamVariables(conn, lp.plan.pipeline.params, lp.params);
  const rows: { node: string; relation: string; sqlMs: number; statsMs: number }[] = [];
  for (const p of lp.plan.nodes) {
    if (p.node.kind.endsWith('_sink')) continue;
    const t0 = performance.now();
    for (const s of p.compiled.statements) await conn.run(s);
    const sqlMs = performance.now() - t0;
    let statsMs = 0;
    if (p.compiled.relation !== 'none') {
      const t1 = performance.now();
      await relationStats(conn, p.node.name);
      statsMs = performance.now() - t1;
    }
    rows.push({ node: p.node.name, relation: p.compiled.relation, sqlMs: Math.round(sqlMs), statsMs: Math.round(statsMs) });
  }
  console.table(rows);
  const sum = (k: 'sqlMs' | 'statsMs') => rows.reduce((s, r) => s + r[k], 0);
  console.log(`statements ${sum('sqlMs')} ms, statistics ${sum('statsMs')} ms (sinks not run)`);
  conn.closeSync();
  instance.closeSync();
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
