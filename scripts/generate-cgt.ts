// Writes synthetic CGT batch-release data at any size (see docs/template-batch-release.md):
//   npx tsx scripts/generate-cgt.ts OUT_DIR [--batches N] [--readings N | --readings-per-batch N]
//     [--assays N] [--seed S] [--format parquet|csv] [--clean] [--threads N] [--lots] [--late B0003,B0007]
// --lots writes OUT_DIR/lots/<batch_id>/ folders (the template's release_by_lot pipeline);
// --late (alone) adds a late, out-of-spec endotoxin result to each lot named (docs/lots.md).
import { generateCgtData, generateCgtLots, writeLateResults, type GenerateCgtOptions } from '../src-main/engine';

const USAGE =
  'usage: npx tsx scripts/generate-cgt.ts OUT_DIR [--batches N] [--readings N | --readings-per-batch N] [--assays N] [--seed S] [--format parquet|csv] [--clean] [--threads N] [--lots] [--late LOT,LOT]';

let lots = false;
let late: string[] | null = null;

function parse(argv: string[]): GenerateCgtOptions {
  const opts: GenerateCgtOptions = { outDir: '', batches: 40 };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || v.trim() === '' || !Number.isSafeInteger(n)) throw new Error(`${flag}: expected a whole number, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i];
    switch (a) {
      case '--batches':
        opts.batches = num(a, next());
        break;
      case '--readings':
        opts.totalReadings = num(a, next());
        break;
      case '--readings-per-batch':
        opts.readingsPerBatch = num(a, next());
        break;
      case '--assays':
        opts.assays = num(a, next());
        break;
      case '--seed':
        opts.seed = num(a, next());
        break;
      case '--threads':
        opts.threads = num(a, next());
        break;
      case '--format': {
        const f = next();
        if (f !== 'parquet' && f !== 'csv') throw new Error(`--format: expected parquet or csv, got ${f ?? 'nothing'}`);
        opts.format = f;
        break;
      }
      case '--lots':
        lots = true;
        break;
      case '--late':
        late = (next() ?? '').split(',').filter(Boolean);
        break;
      case '--clean':
        opts.messy = false;
        break;
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        if (a.startsWith('-') || opts.outDir) throw new Error(`unexpected argument "${a}"`);
        opts.outDir = a;
    }
  }
  if (!opts.outDir) throw new Error('expected OUT_DIR');
  return opts;
}

async function main(): Promise<void> {
  let opts: GenerateCgtOptions;
  try {
    opts = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`generate-cgt: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const t0 = performance.now();
  if (late) {
    for (const f of await writeLateResults(opts.outDir, late)) console.log(f);
    return;
  }
  const { files } = await (lots ? generateCgtLots(opts) : generateCgtData(opts));
  for (const f of files) console.log(`${f.path}\t${f.rows} rows`);
  console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  console.error(`generate-cgt: ${(e as Error).message}`);
  process.exit(1);
});
