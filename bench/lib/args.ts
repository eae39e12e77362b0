import { parseArgs } from 'node:util';

export interface Scale {
  batches: number;
  readings: number;
  assays: number;
  seed: number;
}

export interface BenchOptions {
  quick: boolean;
  /** Folder for `<name>.json` and `<name>.md`. */
  outDir: string;
  /** Base name of the result files: `latest` for a full run, `quick` for `--quick`. */
  outName: string;
  /** Repetitions per measured figure (median of these). */
  runs: number;
  /** Figure numbers to run (1–11); all by default. */
  only: Set<number>;
  scale: Scale;
  /** Keep the temporary workspace (for profiling by hand). */
  keep: boolean;
  /**
   * Lots of figure 10's partitioned template. Not the scale's 2,000 batches by default: each lot
   * is a run of its own (its reads, SQL, checks, publish and audit entries: 0.2 to 1 s each on the
   * loaded bench machine, docs/lots.md), so 2,000 lots add tens of minutes to the bench
   * (`--lots 2000` runs them: every lot once for 10a, 200 of them twice for 10b).
   */
  lots: number;
}

export const FULL_SCALE: Scale = { batches: 2000, readings: 10_000_000, assays: 50_000, seed: 42 };
export const QUICK_SCALE: Scale = { batches: 200, readings: 500_000, assays: 5_000, seed: 42 };
export const FULL_LOTS = 60;
export const QUICK_LOTS = 20;

export const USAGE = `npm run bench -- [--quick] [--runs N] [--only 1,3,6] [--out DIR]
  [--batches N] [--readings N] [--assays N] [--seed S] [--lots N] [--keep]

  --quick    a small smoke run (${QUICK_SCALE.readings.toLocaleString('en-US')} readings, 3 runs per figure); writes bench/results/quick.{json,md}
  (default)  the full run (${FULL_SCALE.readings.toLocaleString('en-US')} readings, 5 runs); writes bench/results/latest.{json,md}
  --out DIR  write the results to DIR instead (same file names)
  --lots N   lots of figure 10's partitioned template (default ${FULL_LOTS}; quick ${QUICK_LOTS})`;

function whole(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name}: expected a whole number of at least 1, got ${v}`);
  return n;
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      runs: { type: 'string' },
      only: { type: 'string' },
      batches: { type: 'string' },
      readings: { type: 'string' },
      assays: { type: 'string' },
      seed: { type: 'string' },
      lots: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const base = quick ? QUICK_SCALE : FULL_SCALE;
  const only = new Set<number>();
  for (const part of (values.only ?? '1,2,3,4,5,6,7,8,9,10,11').split(',')) {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 1 || n > 11) throw new Error(`--only: expected figure numbers 1 to 11, got "${part}"`);
    only.add(n);
  }
  return {
    quick,
    outDir: values.out ?? 'bench/results',
    outName: quick ? 'quick' : 'latest',
    runs: whole('runs', values.runs, quick ? 3 : 5),
    only,
    keep: values.keep ?? false,
    lots: whole('lots', values.lots, quick ? QUICK_LOTS : FULL_LOTS),
    scale: {
      batches: whole('batches', values.batches, base.batches),
      readings: whole('readings', values.readings, base.readings),
      assays: whole('assays', values.assays, base.assays),
      seed: whole('seed', values.seed, base.seed),
    },
  };
}
