// `npm run bench`: measures Weir against baselines run on the same machine in the same run.
// See docs/benchmarks.md for what each figure measures and how to read the table.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseBenchArgs, USAGE, type BenchOptions } from './lib/args';
import { ensureDataset, makeWorkspace, REPO, TEMPLATE_DIR, TEMPLATE_PIPELINE } from './lib/dataset';
import { describeMachine, machineLine } from './lib/machine';
import { markdownTable, markdownSummary, notMeasured, writeReport, type BenchReport, type FigureRow } from './lib/report';
import { updateDocTable } from './lib/doc-table';
import type { BenchContext, Figure } from './figures/context';
import { runnerFigure } from './figures/runner';
import { cacheFigure } from './figures/cache';
import { previewFigure } from './figures/preview';
import { cliStartFigure } from './figures/cli-start';
import { postgresFigure } from './figures/postgres';
import { s3Figure } from './figures/s3';
import { canvasFigure } from './figures/canvas';
import { reviewFigure } from './figures/review';
import { lineageFigure } from './figures/lineage';
import { lotsFigure } from './figures/lots';
import { chartsFigure } from './figures/charts';

// The AWS SDK warns about Node 20 in several stderr lines; the engine silences it the same way.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** In the order they run: the cheap ones first, then those that share the generated data. */
const FIGURES: { n: number; run: Figure }[] = [
  { n: 6, run: cliStartFigure },
  { n: 1, run: runnerFigure },
  { n: 2, run: cacheFigure },
  { n: 3, run: previewFigure },
  { n: 5, run: s3Figure },
  { n: 4, run: postgresFigure },
  { n: 7, run: canvasFigure },
  { n: 8, run: reviewFigure },
  { n: 9, run: lineageFigure },
  { n: 10, run: lotsFigure },
  { n: 11, run: chartsFigure },
];

const NEEDS_DATA = new Set([1, 2, 3, 4, 5, 8, 9]);

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function prepare(opts: BenchOptions): Promise<Pick<BenchContext, 'data' | 'dataMissing'>> {
  if (![...opts.only].some((n) => NEEDS_DATA.has(n))) return { data: null, dataMissing: 'not selected' };
  if (!existsSync(join(TEMPLATE_DIR, TEMPLATE_PIPELINE))) {
    return { data: null, dataMissing: `the template pipeline templates/cgt-batch-release/${TEMPLATE_PIPELINE} does not exist yet` };
  }
  const s = opts.scale;
  log(`data: ${s.readings.toLocaleString('en-US')} readings, ${s.batches} batches, ${s.assays.toLocaleString('en-US')} assays, seed ${s.seed}`);
  const dataset = await ensureDataset(s);
  log(dataset.reused ? `data: reused ${dataset.dir}` : `data: generated in ${(dataset.generateMs / 1000).toFixed(1)} s into ${dataset.dir}`);
  const ws = makeWorkspace(dataset);
  log(`workspace: ${ws.root}`);
  return { data: { dataset, ws } };
}

async function main(): Promise<void> {
  let opts: BenchOptions;
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const startedAt = new Date();
  const machine = describeMachine();
  log(`machine: ${machineLine(machine)}`);
  log(`mode: ${opts.quick ? 'quick' : 'full'}, ${opts.runs} runs per figure, figures ${[...opts.only].sort().join(',')}`);
  const prepared = await prepare(opts);
  const ctx: BenchContext = { opts, ...prepared, log };
  const figures: FigureRow[] = [];
  try {
    for (const f of FIGURES) {
      if (!opts.only.has(f.n)) continue;
      const t0 = performance.now();
      try {
        figures.push(...(await f.run(ctx)));
      } catch (e) {
        // One broken figure must not lose the others: it is reported as not measured.
        // First lines of the message, without terminal colours (a build error spans several).
        const why = (e as Error).message.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' ').slice(0, 240) || 'failed';
        log(`figure ${f.n} failed: ${why}`);
        figures.push(notMeasured(String(f.n), `figure ${f.n}`, '', `the bench failed: ${why}`));
      }
      log(`figure ${f.n} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    if (ctx.data && !opts.keep) ctx.data.ws.remove();
    else if (ctx.data) log(`kept workspace ${ctx.data.ws.root}`);
  }
  figures.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const pg = figures.find((f) => f.details && typeof f.details.postgresVersion === 'string');
  if (pg) machine.postgres = String(pg.details!.postgresVersion);
  const report: BenchReport = {
    format: 'weir.bench',
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: opts.quick ? 'quick' : 'full',
    runsPerFigure: opts.runs,
    machine,
    loadAvgAtEnd: Math.round(loadavg()[0]! * 100) / 100,
    scale: opts.scale,
    dataset: ctx.data ? { ...ctx.data.dataset } : null,
    figures,
  };
  const out = writeReport(opts.outDir, opts.outName, report);
  // A full run into bench/results is the one the docs show.
  if (!opts.quick && opts.outDir === 'bench/results' && opts.only.size === FIGURES.length) {
    for (const doc of ['docs/benchmarks.md', 'README.md']) {
      if (updateDocTable(join(REPO, doc), markdownSummary(report))) log(`updated the table in ${doc}`);
    }
  }
  process.stdout.write(`\n${markdownTable(figures)}\n\nwrote ${out.json} and ${out.md} in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s\n`);
}

main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});
