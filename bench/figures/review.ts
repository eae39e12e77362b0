import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runTask } from '../lib/child';
import { leafNode, readPipeline, writeEditedPipeline } from '../lib/pick-nodes';
import { notMeasured, ratioOf, type FigureRow } from '../lib/report';
import { measure } from '../lib/stats';
import type { EngineRunResult } from '../tasks/pipeline-tasks';
import type { EngineReviewResult, ValueDiffResult } from '../tasks/review-tasks';
import type { BenchContext } from './context';

const LABEL_A = 'value diff of the bioreactor node, one column rounded differently';
const LABEL_B = '`weir review` of a one-leaf change';

const GIT_ENV = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Figure 8 (issue #16). 8a: Weir's keyed value diff against raw DuckDB EXCEPT ALL both ways
 * plus a keyed join, over the same two relations in one connection (target ≤ 1.5×). 8b: the
 * whole review of a one-leaf change (the figure 2 edit, uncommitted) against the full run that
 * made the base run record and filled the cache (target ≤ 0.2×).
 */
export async function reviewFigure(ctx: BenchContext): Promise<FigureRow[]> {
  if (!ctx.data) return [notMeasured('8a', LABEL_A, '≤ 1.5×', ctx.dataMissing ?? 'no data'), notMeasured('8b', LABEL_B, '≤ 0.2×', ctx.dataMissing ?? 'no data')];
  const rows: FigureRow[] = [];
  const v = await runTask<ValueDiffResult>('review-value-diff', { dataDir: join(ctx.data.ws.root, 'data', 'raw'), rounds: ctx.opts.runs });
  ctx.log(`figure 8a: ${v.rows.toLocaleString('en-US')} rows; weir ${v.weirMs.map((m) => m.toFixed(0)).join(', ')} ms; raw ${v.rawMs.map((m) => m.toFixed(0)).join(', ')} ms`);
  const agree = v.weir.changed === v.raw.changed && v.weir.onlyBase === 0 && v.weir.onlyHead === 0;
  const weirA = measure(v.weirMs, 'ms');
  const rawA = measure(v.rawMs, 'ms');
  const ra = ratioOf(weirA, rawA);
  rows.push({
    id: '8a',
    figure: `${LABEL_A} (${v.rows.toLocaleString('en-US')} rows, keyed by batch_id, reading_at)`,
    weir: weirA,
    baseline: rawA,
    baselineLabel: 'raw DuckDB: EXCEPT ALL both ways + a keyed join counting changed rows, same connection',
    ...ra,
    target: '≤ 1.5×',
    met: agree && ra.ratio !== null && ra.ratio <= 1.5,
    ...(agree ? {} : { note: `the counts differ: weir ${JSON.stringify(v.weir)}, raw ${JSON.stringify(v.raw)}` }),
    details: { weir: v.weir, raw: v.raw },
  });

  const file = ctx.data.ws.pipeline;
  const root = ctx.data.ws.root;
  const pipeline = readPipeline(file);
  const leaf = leafNode(pipeline, process.env.WEIR_BENCH_LEAF_NODE);
  git(root, 'init', '--quiet', '--initial-branch=main');
  git(root, 'add', '-A');
  git(root, 'commit', '--quiet', '-m', 'bench base');
  const full: EngineRunResult[] = [];
  const review: EngineReviewResult[] = [];
  for (let i = 0; i < ctx.opts.runs; i++) {
    const cacheRoot = mkdtempSync(join(tmpdir(), 'weir-bench-cache-'));
    try {
      const env = { WEIR_CACHE_DIR: cacheRoot };
      full.push(await runTask<EngineRunResult>('engine-run', { file, useCache: true }, { env }));
      writeEditedPipeline(pipeline, leaf.id, file, `edit ${i}`);
      review.push(await runTask<EngineReviewResult>('engine-review', { file }, { env }));
      ctx.log(`figure 8b: run ${i + 1}/${ctx.opts.runs}: full ${full[i]!.ms.toFixed(0)} ms, review of "${leaf.name}" ${review[i]!.ms.toFixed(0)} ms (${review[i]!.impacted.join(', ')})`);
    } finally {
      git(root, 'checkout', '--quiet', '--', dirname(file));
      rmSync(cacheRoot, { recursive: true, force: true });
    }
  }
  const bad = full.find((r) => r.status !== 'succeeded');
  if (bad) return [...rows, notMeasured('8b', LABEL_B, '≤ 0.2×', `the run ${bad.status}: ${bad.error ?? ''}`)];
  const weirB = measure(review.map((r) => r.ms), 'ms');
  const baseB = measure(full.map((r) => r.ms), 'ms');
  const rb = ratioOf(weirB, baseB);
  rows.push({
    id: '8b',
    figure: `${LABEL_B}: "${leaf.name}" gets a column, reviewed against HEAD over the pinned inputs`,
    weir: weirB,
    baseline: baseB,
    baselineLabel: 'the full run that made the base run record (and filled the cache)',
    ...rb,
    target: '≤ 0.2×',
    met: rb.ratio !== null && rb.ratio <= 0.2,
    details: { editedNode: leaf.name, impacted: review[0]!.impacted, inputsMode: review[0]!.inputsMode, peakRssMb: review.map((r) => r.memory) },
  });
  return rows;
}
