import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCgtLots } from '../../src-main/engine';
import { REPO, TEMPLATE_DIR } from '../lib/dataset';
import { ratioOf, type FigureRow } from '../lib/report';
import { measure } from '../lib/stats';
import type { BenchContext } from './context';

const PIPELINE = join('pipelines', 'release_by_lot.weir.json');
const BIN = join(REPO, 'bin', 'weir.cjs');
/** The most lots 10b runs (twice: one process, then four workers); 10a runs every lot once. */
const SHARD_LOTS = 200;
/** 10a's target (<= 0.05x) is stated for one lot among this many (issue #17). */
const TARGET_LOTS = 2000;

/** `weir run FILE ...args` with the committed bundle; its wall time in ms (exit 0 required). */
function weir(args: string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`weir ${args.join(' ')} exited ${code}: ${err.trim().split('\n').at(-1) ?? ''}`))));
  });
}

/**
 * Figure 10 (docs/lots.md): the partitioned batch-release template on the bench's scale, one lot
 * per batch. 10a: one lot changed (a late result) among all the lots already processed, against
 * the full run that processed them all (target <= 0.05x). 10b: four `--shard i/4` worker
 * processes against one process running the same lots (local files; report only: 2 cores here).
 * The full run that processes every lot is 10a's baseline: each lot is run once for 10a, and 10b
 * takes at most SHARD_LOTS of them, so 2,000 lots fit in one sitting.
 */
export async function lotsFigure(ctx: BenchContext): Promise<FigureRow[]> {
  // One lot per batch: the bench's readings over figure 10's lot count (--lots; args.ts says why not 2,000).
  const s = { ...ctx.opts.scale, batches: ctx.opts.lots };
  const root = mkdtempSync(join(tmpdir(), 'weir-bench-lots-'));
  try {
    cpSync(TEMPLATE_DIR, root, { recursive: true, filter: (p) => !/[\\/](\.weir|curated)([\\/]|$)/.test(p) });
    ctx.log(`lots: generating ${s.batches} lots, ${s.readings.toLocaleString('en-US')} readings`);
    await generateCgtLots({ outDir: join(root, 'data', 'raw'), batches: s.batches, totalReadings: s.readings, assays: s.assays, seed: s.seed });
    const file = join(root, PIPELINE);
    ctx.log('lots: the full run (every lot, one process)');
    const full = await weir(['run', file, '--no-cache'], root);
    ctx.log(`lots: full run ${(full / 1000).toFixed(1)} s`);
    const lots = Array.from({ length: s.batches }, (_, i) => `B${String(i + 1).padStart(Math.max(4, String(s.batches).length), '0')}`);
    const one: number[] = [];
    for (let r = 0; r < ctx.opts.runs; r++) {
      const lot = lots[(r * 7919) % lots.length]!;
      await writeFile(join(root, 'data', 'raw', 'lots', lot, 'assays_late.csv'), `sample_id,batch_id,assay,result,unit,tested_at\nS-${lot}-LATE-${r},${lot},Endotoxin,${1 + r / 10},EU/mL,2024-06-01 09:00:00\n`);
      one.push(await weir(['run', file], root));
      ctx.log(`lots: one changed lot (${lot}) ${(one.at(-1)! / 1000).toFixed(2)} s`);
    }
    const fullMeasure = measure([full], 'ms');
    const atScale = s.batches >= TARGET_LOTS;
    const oneMeasure = measure(one, 'ms');
    const a: FigureRow = {
      id: '10a',
      figure: `one changed lot among ${s.batches.toLocaleString('en-US')} processed (weir run, changed lots)`,
      weir: oneMeasure,
      baseline: fullMeasure,
      baselineLabel: `the full run of ${s.batches.toLocaleString('en-US')} lots`,
      ...ratioOf(oneMeasure, fullMeasure),
      // The issue's target is one lot among 2,000: at fewer lots the run's fixed cost (process start,
      // discovery, the record) is a larger share of a smaller full run, so it is reported, not judged.
      target: atScale ? '<= 0.05x' : `<= 0.05x at ${TARGET_LOTS.toLocaleString('en-US')} lots (--lots ${TARGET_LOTS}); report only at ${s.batches.toLocaleString('en-US')}`,
      met: atScale ? oneMeasure.median / fullMeasure.median <= 0.05 : null,
      details: { lots: s.batches, readings: s.readings, lotConcurrency: 'default' },
    };

    // 10b at most SHARD_LOTS lots: its one-process baseline is a second full run of them, and at
    // 2,000 lots that (with the four workers after it) would double the figure's time.
    const shardLots = lots.slice(0, Math.min(lots.length, SHARD_LOTS));
    const which = shardLots.length === lots.length ? 'all' : shardLots.join(',');
    ctx.log(`lots: 4 shard workers against 1 process (${shardLots.length} lots, no cache)`);
    const single = await weir(['run', file, '--partitions', which, '--no-cache'], root);
    const t0 = performance.now();
    await Promise.all([0, 1, 2, 3].map((i) => weir(['run', file, '--partitions', which, '--shard', `${i}/4`, '--no-cache'], root)));
    const sharded = performance.now() - t0;
    ctx.log(`lots: one process ${(single / 1000).toFixed(1)} s, four shard workers ${(sharded / 1000).toFixed(1)} s`);
    const shardMeasure = measure([sharded], 'ms');
    const singleMeasure = measure([single], 'ms');
    const b: FigureRow = {
      id: '10b',
      figure: `4 worker processes (--shard i/4) vs 1 process, ${shardLots.length < lots.length ? `the first ${shardLots.length.toLocaleString('en-US')} of the ${lots.length.toLocaleString('en-US')} lots` : `${lots.length.toLocaleString('en-US')} lots`}, local files`,
      weir: shardMeasure,
      baseline: singleMeasure,
      baselineLabel: 'one process, the same lots',
      ...ratioOf(shardMeasure, singleMeasure),
      target: 'report only',
      met: null,
      note: 'the machine has 2 cores; workers share one workspace (its audit log lock)',
    };
    return [a, b];
  } finally {
    // Retried: a run's audit mirror or marker may still be settling in .weir/ as the last process exits (ENOTEMPTY seen).
    rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}
