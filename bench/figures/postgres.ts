import { runTask } from '../lib/child';
import { ratioOf, type FigureRow } from '../lib/report';
import { measure } from '../lib/stats';
import type { MemoryPeak } from '../lib/memory';
import type { PublishBenchResult } from '../postgres-publish';
import type { BenchContext } from './context';

type Result = PublishBenchResult & { memory: Pick<MemoryPeak, 'maxRssMB'>; postgresVersion: string | null };

const TARGET_RATE = '≥ 0.8×';
/**
 * Flat: four times the rows may not need more than 1.25× the memory, or 16 MiB more (at a
 * quick run's sizes a few MiB of allocator noise is already 25%).
 */
const FLAT = 1.25;
const SLACK_MIB = 16;
const TARGET_MEM = `flat: ≤ ${FLAT}× (or +${SLACK_MIB} MiB) at 4× the rows`;

/**
 * Figure 4: bench/postgres-publish.ts (the PostgreSQL engineer's harness: an embedded
 * server, Weir's publish in mode replace against `psql \copy` of the same rows, alternated)
 * in a fresh process; then again with a quarter of the rows, to see that memory is flat.
 */
export async function postgresFigure(ctx: BenchContext): Promise<FigureRow[]> {
  const labels = ['PostgreSQL publish rows/s (mode replace: staging table, COPY, swap)', "runner's memory while publishing: peak RSS growth", "runner's memory while publishing: peak V8 heap growth"];
  const rows = ctx.opts.quick ? 200_000 : 2_000_000;
  const big = await runTask<Result>('postgres-publish', { rows, runs: ctx.opts.runs }, { nodeFlags: ['--expose-gc'] });
  const small = await runTask<Result>('postgres-publish', { rows: rows / 4, runs: Math.min(ctx.opts.runs, 3) }, { nodeFlags: ['--expose-gc'] });
  const weir = measure(big.weirSeconds.map((s) => rows / s), 'rows/s');
  const psql = measure(big.psqlSeconds.map((s) => rows / s), 'rows/s');
  const r = ratioOf(weir, psql);
  ctx.log(`figure 4: weir ${Math.round(weir.median).toLocaleString('en-US')} rows/s, psql ${Math.round(psql.median).toLocaleString('en-US')} rows/s; RSS growth ${big.rssGrowthMB.toFixed(0)} MiB (${(rows / 4).toLocaleString('en-US')} rows: ${small.rssGrowthMB.toFixed(0)} MiB)`);
  const rss = measure([big.rssGrowthMB], 'MiB');
  const rssSmall = measure([small.rssGrowthMB], 'MiB');
  const heap = measure([big.heapGrowthMB], 'MiB');
  const heapSmall = measure([small.heapGrowthMB], 'MiB');
  // Below a few MiB the ratio is noise: both are flat.
  const flat = (a: number, b: number) => a <= Math.max(b * FLAT, b + SLACK_MIB);
  const details = { rows, tableMB: big.tableMB, processPeakRssMB: big.memory.maxRssMB, postgresVersion: big.postgresVersion };
  return [
    { id: '4a', figure: `${labels[0]!}, ${rows.toLocaleString('en-US')} rows (${big.tableMB.toFixed(0)} MiB)`, weir, baseline: psql, baselineLabel: '`psql \\copy` of the same rows, one transaction', ...r, target: TARGET_RATE, met: r.ratio !== null && r.ratio >= 0.8, details },
    { id: '4b', figure: `${labels[1]!}, ${rows.toLocaleString('en-US')} rows (max of the runs)`, weir: rss, baseline: rssSmall, baselineLabel: `the same with ${(rows / 4).toLocaleString('en-US')} rows`, ratio: rss.median / rssSmall.median, target: TARGET_MEM, met: flat(rss.median, rssSmall.median), details },
    { id: '4c', figure: `${labels[2]!}, ${rows.toLocaleString('en-US')} rows (max of the runs)`, weir: heap, baseline: heapSmall, baselineLabel: `the same with ${(rows / 4).toLocaleString('en-US')} rows`, ratio: heap.median / heapSmall.median, target: TARGET_MEM, met: flat(heap.median, heapSmall.median), details },
  ];
}
