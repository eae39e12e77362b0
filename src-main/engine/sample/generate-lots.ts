import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { WeirError } from '../../../shared/errors';
import { isLotKey } from '../../../shared/pipeline/partitions';
import { literal } from '../duckdb/sql';
import { SITES } from './cgt-model';
import { assaysSql, batchesSql, macroStatements, readingsSql } from './cgt-sql';
import { resolveShape, type GenerateCgtOptions, type GenerateCgtResult } from './generate-cgt';

/**
 * The CGT sample as it arrives lot by lot (docs/lots.md, the batch-release template's
 * `release_by_lot` pipeline, which reads `raw/specs.csv` as every lot's): per batch a folder
 * `lots/<batch_id>/` with `batch.csv` (its MES record), `assays.csv` (its LIMS results) and
 * `bioreactor.parquet` (its probe readings, with the site as a column). The same rows as
 * generateCgtData with the same options, split by the trimmed batch id.
 */
export async function generateCgtLots(options: GenerateCgtOptions): Promise<GenerateCgtResult> {
  const shape = resolveShape(options);
  const outDir = resolve(options.outDir);
  const instance = await DuckDBInstance.create(':memory:', options.threads ? { threads: String(options.threads) } : {});
  const conn = await instance.connect();
  const lotsDir = join(outDir, 'lots');
  const tmp = join(outDir, `.lots-tmp-${process.pid}`);
  try {
    for (const s of macroStatements(shape)) await conn.run(s);
    await mkdir(outDir, { recursive: true });
    await rm(lotsDir, { recursive: true, force: true });
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    const readings = SITES.map((site, s) => (s < shape.batches ? `SELECT *, ${literal(site)} AS site FROM (${readingsSql(shape, s)})` : null)).filter(Boolean);
    const parts: { name: string; sql: string; ext: 'csv' | 'parquet' }[] = [
      { name: 'batch', sql: batchesSql(shape), ext: 'csv' },
      { name: 'assays', sql: assaysSql(shape), ext: 'csv' },
      { name: 'bioreactor', sql: readings.join(' UNION ALL '), ext: 'parquet' },
    ];
    const files: GenerateCgtResult['files'] = [];
    for (const p of parts) {
      const opts = p.ext === 'csv' ? 'FORMAT csv, HEADER true' : "FORMAT parquet, COMPRESSION 'zstd'";
      const where = join(tmp, p.name);
      // One COPY for every lot (DuckDB writes a `lot=<value>/` folder each); the folders are then moved into place.
      const res = await conn.run(`COPY (SELECT *, trim(batch_id) AS lot FROM (${p.sql})) TO ${literal(where)} (${opts}, PARTITION_BY (lot), FILENAME_PATTERN ${literal(p.name)})`);
      files.push({ path: `lots/*/${p.name}.${p.ext}`, rows: Number(res.rowsChanged) });
      for (const dir of await readdir(where)) {
        const lot = dir.replace(/^lot=/, '');
        if (!isLotKey(lot)) continue;
        await mkdir(join(lotsDir, lot), { recursive: true });
        const [file] = await readdir(join(where, dir));
        if (file) await rename(join(where, dir, file), join(lotsDir, lot, `${p.name}.${p.ext}`));
      }
    }
    return { files, shape };
  } finally {
    await rm(tmp, { recursive: true, force: true });
    conn.closeSync();
    instance.closeSync();
  }
}

/**
 * Results that arrive after a lot was released: an endotoxin retest per lot named, out of
 * specification (9.5 EU/mL), in `lots/<batch_id>/assays_late.csv` (the template reads
 * `assays*.csv`, so the lot becomes "changed" and its next run rejects it).
 */
export async function writeLateResults(outDir: string, lots: readonly string[], testedAt = '2024-06-01 09:00:00'): Promise<string[]> {
  const written: string[] = [];
  for (const lot of lots) {
    if (!isLotKey(lot)) throw new WeirError('usage', `"${lot}" is not a lot value`);
    const dir = join(resolve(outDir), 'lots', lot);
    const path = join(dir, 'assays_late.csv');
    await mkdir(dir, { recursive: true });
    await writeFile(path, `sample_id,batch_id,assay,result,unit,tested_at\nS-${lot}-LATE,${lot},Endotoxin,9.5,EU/mL,${testedAt}\n`);
    written.push(path);
  }
  return written;
}
