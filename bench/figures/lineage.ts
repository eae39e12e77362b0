import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { lineagePlan } from '../../shared/lineage';
import type { Pipeline } from '../../shared/pipeline/schema';
import { literal } from '../../src-main/engine';
import { bigPipelineText } from '../lib/big-pipeline';
import { TEMPLATE_DIR, TEMPLATE_PIPELINE } from '../lib/dataset';
import { benchEngine } from '../lib/engine';
import { readPipeline } from '../lib/pick-nodes';
import { ratioOf, type FigureRow } from '../lib/report';
import { measure } from '../lib/stats';
import type { BenchContext } from './context';
import { explainFigure } from './explain';

const BIG = 1000;

/** Parsing alone: `json_serialize_sql` of every node's query in one connection, one statement. */
async function parseAlone(pipeline: Pipeline): Promise<number> {
  const sqls = [...lineagePlan(pipeline).values()].flatMap((h) => (h.type === 'query' ? [h.sql] : []));
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const t0 = performance.now();
    const reader = await conn.runAndReadAll(`SELECT json_serialize_sql(s) FROM (VALUES ${sqls.map((s, i) => `(${i}, ${literal(s)})`).join(', ')}) AS q(i, s)`);
    reader.getRows().forEach((r) => JSON.parse(String(r[0])));
    return performance.now() - t0;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/**
 * The column graph of one pipeline in a warm preview session (its nodes made once, untimed, as
 * the designer's session has them, and the code warmed by two more untimed calls): what `engine.lineage()` costs each time a column is asked
 * about. Against parsing alone, which every answer needs.
 */
async function lineageRuns(file: string, runs: number): Promise<{ weir: number[]; parse: number[]; columns: number }> {
  const engine = benchEngine();
  const pipeline = readPipeline(file);
  const session = await engine.previewSession(file);
  const weir: number[] = [];
  const parse: number[] = [];
  let columns = 0;
  try {
    // Untimed: the first makes the nodes; the next ones warm the JIT, as a designer's long-lived session is.
    for (let i = 0; i < 3; i++) await engine.lineage({ pipeline, file }, session);
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const graph = await engine.lineage({ pipeline, file }, session);
      weir.push(performance.now() - t0);
      columns = graph.nodes.reduce((n, x) => n + x.columns.length, 0);
      parse.push(await parseAlone(pipeline));
    }
  } finally {
    await session.close();
  }
  return { weir, parse, columns };
}

/** Figure 9: column lineage of the template (9a) and of a generated 1,000-node pipeline (9b); explain one cell on the generated data (9c). */
export async function lineageFigure(ctx: BenchContext): Promise<FigureRow[]> {
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-lineage-'));
  try {
    const template = join(root, 'template');
    cpSync(TEMPLATE_DIR, template, { recursive: true, filter: (p) => !/[\\/](\.weir|curated)([\\/]|$)/.test(p) });
    // Seed sources only: the big pipeline needs a workspace file and nothing else.
    const big = join(root, 'big');
    mkdirSync(big);
    cpSync(join(template, 'weir.workspace.json'), join(big, 'weir.workspace.json'));
    const bigFile = join(big, `big_${BIG}.weir.json`);
    writeFileSync(bigFile, bigPipelineText(BIG));
    const templateFile = join(template, TEMPLATE_PIPELINE);
    // A warm session vouches for a source only when its files and folders are older than the
    // racy window (2 s, file-source/watch.ts): files copied a moment ago are made again on every
    // call, which is not what a designer's session over an analyst's files does.
    await new Promise((r) => setTimeout(r, 2_200));
    const rows: FigureRow[] = [];
    for (const [id, file, label, limit] of [
      ['9a', templateFile, `column lineage of the template (${readPipeline(templateFile).nodes.length} nodes), warm session`, 100],
      ['9b', bigFile, `column lineage of a generated ${BIG.toLocaleString('en-US')}-node pipeline, warm session`, 1000],
    ] as const) {
      const r = await lineageRuns(file, ctx.opts.runs);
      const w = measure(r.weir, 'ms');
      const p = measure(r.parse, 'ms');
      ctx.log(`figure ${id}: lineage ${w.median.toFixed(1)} ms, parse alone ${p.median.toFixed(1)} ms (${r.columns} columns)`);
      rows.push({
        id,
        figure: label,
        weir: w,
        baseline: p,
        baselineLabel: 'json_serialize_sql of every node\'s query, one connection',
        ...ratioOf(w, p),
        target: `< ${limit} ms`,
        met: w.median < limit,
        details: { columns: r.columns },
      });
    }
    rows.push(...(await explainFigure(ctx)));
    return rows;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
