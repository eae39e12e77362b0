import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { WeirError } from '../../../shared/errors';
import { literal } from '../duckdb/sql';
import { SITES } from './cgt-model';
import { assaysSql, batchesSql, macroStatements, readingsSql, specsSql, type Shape } from './cgt-sql';

export interface GenerateCgtOptions {
  /** Folder to write into: it receives batches.csv, assays.csv, specs.csv and bioreactor/. */
  outDir: string;
  batches: number;
  /** Bioreactor readings per batch (default 48), unless totalReadings is given. */
  readingsPerBatch?: number;
  /** Total bioreactor readings, spread evenly over the batches. */
  totalReadings?: number;
  /** Distinct assay results (default 6 per batch: one of each release assay). */
  assays?: number;
  seed?: number;
  /** Bioreactor files: Parquet (the template's choice) or CSV. The other files are always CSV. */
  format?: 'parquet' | 'csv';
  /**
   * Inject the messiness the template cleans: stray whitespace, mixed-case assay names,
   * '%' suffixes, mixed units, duplicated rows, pH probe glitches, dissolved-oxygen dropouts.
   * Default true. Out-of-spec and missing results are always generated (see FAILURES).
   */
  messy?: boolean;
  /** DuckDB threads for this generator's own instance; the output does not depend on it. */
  threads?: number;
}

export interface GeneratedFile {
  /** Relative to outDir, with forward slashes. */
  path: string;
  rows: number;
}

export interface GenerateCgtResult {
  files: GeneratedFile[];
  shape: Shape;
}

function count(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 0) throw new WeirError('usage', `${name}: expected a whole number of at least 0, got ${value}`);
  return v;
}

export function resolveShape(o: GenerateCgtOptions): Shape {
  const batches = count('batches', o.batches, 0);
  if (batches < 1) throw new WeirError('usage', 'batches: expected at least 1');
  if (o.totalReadings !== undefined && o.readingsPerBatch !== undefined) {
    throw new WeirError('usage', 'give either readingsPerBatch or totalReadings, not both');
  }
  const readings = o.totalReadings !== undefined ? count('totalReadings', o.totalReadings, 0) : batches * count('readingsPerBatch', o.readingsPerBatch, 48);
  const assays = count('assays', o.assays, batches * 6);
  const seed = count('seed', o.seed, 42);
  const messy = o.messy ?? true;
  // About one repeated row per 500 results, at least one so the cleaning step is exercised.
  const duplicates = messy && assays > 0 ? Math.max(1, Math.floor(assays / 500)) : 0;
  return { batches, assays, readings, seed, messy, duplicates };
}

async function copyTo(conn: DuckDBConnection, sql: string, path: string, format: 'csv' | 'parquet'): Promise<number> {
  const opts = format === 'csv' ? 'FORMAT csv, HEADER true' : "FORMAT parquet, COMPRESSION 'zstd'";
  const res = await conn.run(`COPY (${sql}) TO ${literal(path.replace(/\\/g, '/'))} (${opts})`);
  return Number(res.rowsChanged);
}

/**
 * Writes the CGT sample (the shape the batch-release template reads) at any size,
 * deterministically from the seed: same options, same bytes (for a given DuckDB version).
 * Runs in its own DuckDB instance so that its thread setting touches no one else's runs.
 */
export async function generateCgtData(options: GenerateCgtOptions): Promise<GenerateCgtResult> {
  const shape = resolveShape(options);
  const format = options.format ?? 'parquet';
  if (format !== 'parquet' && format !== 'csv') throw new WeirError('usage', `format: expected parquet or csv, got ${String(format)}`);
  const outDir = resolve(options.outDir);
  const config: Record<string, string> = {};
  if (options.threads) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  try {
    for (const s of macroStatements(shape)) await conn.run(s);
    await mkdir(outDir, { recursive: true });
    const files: GeneratedFile[] = [];
    const write = async (rel: string, sql: string, fmt: 'csv' | 'parquet') => {
      files.push({ path: rel, rows: await copyTo(conn, sql, join(outDir, rel), fmt) });
    };
    await write('batches.csv', batchesSql(shape), 'csv');
    await write('specs.csv', specsSql(), 'csv');
    await write('assays.csv', assaysSql(shape), 'csv');
    // Old partitions (say, from a larger earlier run) would otherwise be read with the new ones.
    await rm(join(outDir, 'bioreactor'), { recursive: true, force: true });
    for (let s = 0; s < SITES.length; s++) {
      if (s >= shape.batches) continue; // no batch made at this site
      const dir = join(outDir, 'bioreactor', `site=${SITES[s]}`);
      await mkdir(dir, { recursive: true });
      await write(`bioreactor/site=${SITES[s]}/readings.${format}`, readingsSql(shape, s), format);
    }
    return { files, shape };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
