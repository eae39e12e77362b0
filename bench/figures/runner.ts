import { runTask } from '../lib/child';
import { notMeasured, ratioOf, type FigureRow } from '../lib/report';
import { measure } from '../lib/stats';
import type { EngineRunResult, RawRunResult } from '../tasks/pipeline-tasks';
import type { BenchContext } from './context';

const TARGET = '≤ 1.05×';

function failed(r: EngineRunResult): string | null {
  return r.status === 'succeeded' ? null : `the run ${r.status}: ${r.error ?? ''}`;
}

/** Per node, the median time over the runs, slowest first: where a run spends its time. */
export function nodeBreakdown(runs: EngineRunResult[]): Record<string, number> {
  const byNode = new Map<string, number[]>();
  for (const r of runs) for (const n of r.nodes) byNode.set(n.name, [...(byNode.get(n.name) ?? []), n.ms]);
  return Object.fromEntries([...byNode].map(([k, v]) => [k, measure(v, 'ms').median] as const).sort((a, b) => b[1] - a[1]));
}

/**
 * Figure 1: `weir run` (the engine entry point) against the same statements run raw in one
 * DuckDB connection; cold (`--no-cache`) and default (cache on, filled by an earlier run).
 */
export async function runnerFigure(ctx: BenchContext): Promise<FigureRow[]> {
  const labels = ['full pipeline run, cold (--no-cache)', 'full pipeline run, default (cache on, unchanged inputs)'];
  if (!ctx.data) return labels.map((l, i) => notMeasured(`1${'ab'[i]}`, l, TARGET, ctx.dataMissing ?? 'no data'));
  const file = ctx.data.ws.pipeline;
  ctx.log('figure 1: warm-up (fills the cache, the file-hash memo and the OS page cache)');
  const warm = await runTask<EngineRunResult>('engine-run', { file, useCache: true });
  const problem = failed(warm);
  if (problem) return labels.map((l, i) => notMeasured(`1${'ab'[i]}`, l, TARGET, problem));
  await runTask<RawRunResult>('raw-run', { file });

  const cold: EngineRunResult[] = [];
  const dflt: EngineRunResult[] = [];
  const raw: RawRunResult[] = [];
  for (let i = 0; i < ctx.opts.runs; i++) {
    // Interleaved, so drift in a shared machine's load touches both sides alike.
    // Weir's run modules are loaded before its clock, as the raw script's are (tasks/pipeline-tasks.ts).
    cold.push(await runTask<EngineRunResult>('engine-run', { file, useCache: false, loadFirst: true }));
    raw.push(await runTask<RawRunResult>('raw-run', { file }));
    dflt.push(await runTask<EngineRunResult>('engine-run', { file, useCache: true, loadFirst: true }));
    ctx.log(`figure 1: run ${i + 1}/${ctx.opts.runs}: cold ${cold[i]!.ms.toFixed(0)} ms, raw ${raw[i]!.ms.toFixed(0)} ms, default ${dflt[i]!.ms.toFixed(0)} ms`);
  }
  const bad = [...cold, ...dflt].map(failed).find(Boolean);
  if (bad) return labels.map((l, i) => notMeasured(`1${'ab'[i]}`, l, TARGET, bad));
  const rawM = measure(raw.map((r) => r.ms), 'ms');
  const rows: FigureRow[] = [];
  for (const [i, runs] of [cold, dflt].entries()) {
    const weir = measure(runs.map((r) => r.ms), 'ms');
    const r = ratioOf(weir, rawM);
    rows.push({
      id: `1${'ab'[i]}`,
      figure: labels[i]!,
      weir,
      baseline: rawM,
      baselineLabel: `the plan's ${raw[0]!.statements} statements in one raw DuckDB connection`,
      ...r,
      target: TARGET,
      met: r.ratio !== null && r.ratio <= 1.05,
      details: {
        nodesMedianMs: nodeBreakdown(runs),
        cachedNodes: runs[0]!.nodes.filter((n) => n.cached).map((n) => n.name),
        peakRssMB: measure(runs.map((x) => x.memory.maxRssMB), 'MiB').median,
        // Untimed: the run's modules loaded before the clock (tasks/pipeline-tasks.ts, engineRun).
        runModulesLoadMs: measure(runs.map((x) => x.loadMs ?? 0), 'ms').median,
        rawPeakRssMB: measure(raw.map((x) => x.memory.maxRssMB), 'MiB').median,
      },
    });
  }
  return rows;
}
