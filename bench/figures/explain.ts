import { readPipeline } from '../lib/pick-nodes';
import { benchEngine } from '../lib/engine';
import { notMeasured, ratioOf, type FigureRow } from '../lib/report';
import { measure } from '../lib/stats';
import type { BenchContext } from './context';

const LABEL = 'explain one REJECTED cell of batch_release, warm session';

/**
 * Figure 9c: "explain this value" on the generated data (10 M bioreactor readings at full
 * scale): one REJECTED batch_release row traced back to every input's rows, in a warm preview
 * session whose nodes a preview made (untimed), as in the designer after the preview the cell
 * was clicked in. Against that preview of batch_release again in the same session (what the
 * designer already paid to show the cell). Two untimed calls warm the code first.
 */
export async function explainFigure(ctx: BenchContext): Promise<FigureRow[]> {
  if (!ctx.data) return [notMeasured('9c', LABEL, '< 1000 ms', ctx.dataMissing ?? 'no data')];
  const file = ctx.data.ws.pipeline;
  const pipeline = readPipeline(file);
  const node = pipeline.nodes.find((n) => n.name === 'batch_release');
  if (!node) return [notMeasured('9c', LABEL, '< 1000 ms', 'the template has no batch_release node')];
  const engine = benchEngine();
  const session = await engine.previewSession(file);
  try {
    const preview = () => engine.preview({ pipeline, file, nodeId: node.id, limit: 1000 }, session);
    const shown = await preview();
    const names = shown.columns.map((c) => c.name);
    const values = shown.rows.find((r) => r[names.indexOf('release_status')] === 'REJECTED');
    if (!values) return [notMeasured('9c', LABEL, '< 1000 ms', 'no REJECTED batch among the first 1,000 rows')];
    const row = Object.fromEntries(names.map((n, i) => [n, values[i]]));
    const explain = () => engine.explain({ pipeline, file, nodeId: node.id, row, column: 'release_status' }, session);
    for (let i = 0; i < 2; i++) await explain();
    const weir: number[] = [];
    const base: number[] = [];
    let inputs = 0;
    let rows = 0;
    for (let i = 0; i < ctx.opts.runs; i++) {
      let t0 = performance.now();
      const e = await explain();
      weir.push(performance.now() - t0);
      inputs = e.steps.reduce((n, s) => n + s.inputs.length, 0);
      rows = e.steps.reduce((n, s) => n + s.inputs.reduce((m, x) => m + (x.rows?.total ?? 0), 0), 0);
      t0 = performance.now();
      await preview();
      base.push(performance.now() - t0);
    }
    const w = measure(weir, 'ms');
    const b = measure(base, 'ms');
    ctx.log(`figure 9c: explain ${w.median.toFixed(0)} ms, preview ${b.median.toFixed(0)} ms (batch ${String(row.batch_id)}, ${inputs} inputs, ${rows} rows matched)`);
    return [
      {
        id: '9c',
        figure: `${LABEL} (${String(row.batch_id)}: ${inputs} inputs traced, ${rows.toLocaleString('en-US')} rows matched)`,
        weir: w,
        baseline: b,
        baselineLabel: 'the preview of batch_release (1,000 rows) in the same session',
        ...ratioOf(w, b),
        target: '< 1000 ms',
        met: w.median < 1000,
        details: { batch: row.batch_id, inputs, rows },
      },
    ];
  } finally {
    await session.close();
  }
}
