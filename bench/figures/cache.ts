import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runTask } from '../lib/child';
import { leafNode, readPipeline, writeEditedPipeline } from '../lib/pick-nodes';
import { notMeasured, ratioOf, type FigureRow } from '../lib/report';
import { measure } from '../lib/stats';
import type { EngineRunResult } from '../tasks/pipeline-tasks';
import type { BenchContext } from './context';
import { nodeBreakdown } from './runner';

const TARGET = '≤ 0.10×';
const LABEL = 're-run after editing one leaf node (cache)';

/**
 * Figure 2: each run starts from an empty node cache (its own WEIR_CACHE_DIR): a full run,
 * then one node that feeds a sink gets a new column, then the re-run that is timed.
 */
export async function cacheFigure(ctx: BenchContext): Promise<FigureRow[]> {
  if (!ctx.data) return [notMeasured('2', LABEL, TARGET, ctx.dataMissing ?? 'no data')];
  const file = ctx.data.ws.pipeline;
  const pipeline = readPipeline(file);
  const leaf = leafNode(pipeline, process.env.WEIR_BENCH_LEAF_NODE);
  const edited = join(dirname(file), 'bench_edited.weir.json');
  const full: EngineRunResult[] = [];
  const rerun: EngineRunResult[] = [];
  for (let i = 0; i < ctx.opts.runs; i++) {
    const cacheRoot = mkdtempSync(join(tmpdir(), 'weir-bench-cache-'));
    try {
      const env = { WEIR_CACHE_DIR: cacheRoot };
      full.push(await runTask<EngineRunResult>('engine-run', { file, useCache: true }, { env }));
      writeEditedPipeline(pipeline, leaf.id, edited, `edit ${i}`);
      rerun.push(await runTask<EngineRunResult>('engine-run', { file: edited, useCache: true }, { env }));
      ctx.log(`figure 2: run ${i + 1}/${ctx.opts.runs}: full ${full[i]!.ms.toFixed(0)} ms, re-run after editing "${leaf.name}" ${rerun[i]!.ms.toFixed(0)} ms`);
    } finally {
      rmSync(cacheRoot, { recursive: true, force: true });
      rmSync(edited, { force: true });
    }
  }
  const bad = [...full, ...rerun].find((r) => r.status !== 'succeeded');
  if (bad) return [notMeasured('2', LABEL, TARGET, `the run ${bad.status}: ${bad.error ?? ''}`)];
  const weir = measure(rerun.map((r) => r.ms), 'ms');
  const baseline = measure(full.map((r) => r.ms), 'ms');
  const r = ratioOf(weir, baseline);
  return [
    {
      id: '2',
      figure: `${LABEL}: "${leaf.name}" gets a column`,
      weir,
      baseline,
      baselineLabel: 'the full run that filled the cache',
      ...r,
      target: TARGET,
      met: r.ratio !== null && r.ratio <= 0.1,
      details: {
        editedNode: leaf.name,
        rerunNodesMedianMs: nodeBreakdown(rerun),
        rerunCachedNodes: rerun[0]!.nodes.filter((n) => n.cached).map((n) => n.name),
        rerunComputedNodes: rerun[0]!.nodes.filter((n) => !n.cached).map((n) => n.name),
      },
    },
  ];
}
