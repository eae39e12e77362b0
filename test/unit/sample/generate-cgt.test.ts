import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeirError } from '../../../shared/errors';
import { ASSAYS, FAILURES, RAW_COLUMNS, batchFailsRelease, batchId } from '../../../src-main/engine/sample/cgt-model';
import { generateCgtData } from '../../../src-main/engine/sample/generate-cgt';
import { treeHashes } from '../../support/find-files';
import { tempDir } from '../../support/temp-dir';
import { templateDir } from '../../support/templates';

const TEMPLATE_RAW = join(templateDir('cgt-batch-release'), 'data', 'raw');

let db: DuckDBInstance;
let conn: DuckDBConnection;
beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});
afterAll(() => {
  conn.closeSync();
  db.closeSync();
});

const q = (p: string) => `'${p.replace(/'/g, "''")}'`;
async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}
async function schema(from: string): Promise<string[]> {
  return (await rows(`DESCRIBE SELECT * FROM ${from}`)).map((r) => `${String(r.column_name)} ${String(r.column_type)}`);
}
const csv = (dir: string, file: string) => `read_csv(${q(join(dir, file))}, all_varchar = true)`;
const readings = (dir: string, ext = 'parquet') =>
  ext === 'parquet' ? `read_parquet(${q(join(dir, 'bioreactor/*/*.parquet'))}, hive_partitioning = true)` : `read_csv(${q(join(dir, 'bioreactor/*/*.csv'))}, hive_partitioning = true)`;

describe('generateCgtData', () => {
  it('is the generator of the shipped template sample (seed 42, 40 batches, 48 readings each)', async () => {
    const out = tempDir();
    const res = await generateCgtData({ outDir: out, batches: 40, readingsPerBatch: 48, seed: 42 });
    expect(res.files.map((f) => [f.path, f.rows])).toEqual([
      ['batches.csv', 40],
      ['specs.csv', 6],
      ['assays.csv', 241],
      ['bioreactor/site=BOS/readings.parquet', 14 * 48],
      ['bioreactor/site=LEI/readings.parquet', 13 * 48],
      ['bioreactor/site=SGP/readings.parquet', 13 * 48],
    ]);
    expect(treeHashes(out)).toEqual(treeHashes(TEMPLATE_RAW));
  });

  it('gives the same bytes for the same seed whatever the thread count, and different data for another seed', async () => {
    const opts = { batches: 97, totalReadings: 20_011, assays: 700, seed: 5 };
    const a = tempDir();
    const b = tempDir();
    const c = tempDir();
    await generateCgtData({ ...opts, outDir: a, threads: 1 });
    await generateCgtData({ ...opts, outDir: b, threads: 4 });
    await generateCgtData({ ...opts, outDir: c, seed: 6 });
    const ha = treeHashes(a);
    expect(Object.keys(ha)).toHaveLength(6);
    expect(treeHashes(b)).toEqual(ha);
    const hc = treeHashes(c);
    expect(hc['specs.csv']).toBe(ha['specs.csv']);
    for (const f of ['batches.csv', 'assays.csv', 'bioreactor/site=BOS/readings.parquet']) expect(hc[f]).not.toBe(ha[f]);
  });

  it('writes the requested row counts at another scale, spread evenly over the batches', async () => {
    const out = tempDir();
    const res = await generateCgtData({ outDir: out, batches: 123, totalReadings: 10_007, assays: 1_000, seed: 1 });
    expect(res.shape.duplicates).toBe(2);
    const [b] = await rows(`SELECT count(*) AS n, count(DISTINCT batch_id) AS ids, min(batch_id) AS lo, max(batch_id) AS hi FROM ${csv(out, 'batches.csv')}`);
    expect(b).toEqual({ n: 123n, ids: 123n, lo: 'B0001', hi: 'B0123' });
    // Distinct results as requested; the extra rows are exact repeats that the template removes.
    const [a] = await rows(`SELECT count(*) AS n, count(DISTINCT sample_id) AS samples, count(DISTINCT trim(batch_id)) AS batches FROM ${csv(out, 'assays.csv')}`);
    expect(a).toEqual({ n: 1_002n, samples: 1_000n, batches: 123n });
    const [d] = await rows(`SELECT count(*) AS n FROM (SELECT DISTINCT * FROM ${csv(out, 'assays.csv')})`);
    expect(d!.n).toBe(1_000n);
    const [r] = await rows(`SELECT sum(n) AS total, min(n) AS lo, max(n) AS hi, count(*) AS batches FROM (SELECT batch_id, count(*) AS n FROM ${readings(out)} GROUP BY batch_id)`);
    expect(r).toEqual({ total: 10_007n, lo: 81n, hi: 82n, batches: 123n });
    // Each batch's readings fall inside its culture, and its site folder is where it was made.
    const [bad] = await rows(`SELECT count(*) AS n FROM ${readings(out)} AS r JOIN ${csv(out, 'batches.csv')} AS b USING (batch_id)
      WHERE r.reading_at < CAST(b.manufacture_start AS DATE) OR r.reading_at > CAST(b.manufacture_end AS DATE) OR r.site <> upper(b.site)`);
    expect(bad!.n).toBe(0n);
  });

  it('writes CSV bioreactor files with --format csv, with readingsPerBatch', async () => {
    const out = tempDir();
    const res = await generateCgtData({ outDir: out, batches: 4, readingsPerBatch: 10, format: 'csv' });
    expect(res.files.filter((f) => f.path.startsWith('bioreactor/')).map((f) => [f.path, f.rows])).toEqual([
      ['bioreactor/site=BOS/readings.csv', 20],
      ['bioreactor/site=LEI/readings.csv', 10],
      ['bioreactor/site=SGP/readings.csv', 10],
    ]);
  });

  it("writes the template's columns and types", async () => {
    const out = tempDir();
    await generateCgtData({ outDir: out, batches: 10, readingsPerBatch: 5, seed: 9 });
    const csvOut = tempDir();
    await generateCgtData({ outDir: csvOut, batches: 10, readingsPerBatch: 5, seed: 9, format: 'csv' });
    for (const [file, cols] of [
      ['batches.csv', RAW_COLUMNS.batches],
      ['assays.csv', RAW_COLUMNS.assays],
      ['specs.csv', RAW_COLUMNS.specs],
    ] as const) {
      const header = (dir: string) => readFileSync(join(dir, file), 'utf8').split('\n')[0];
      expect(header(out)).toBe(cols.join(','));
      expect(header(TEMPLATE_RAW)).toBe(cols.join(','));
    }
    const template = await schema(readings(TEMPLATE_RAW));
    expect(template.map((c) => c.split(' ')[0])).toEqual([...RAW_COLUMNS.bioreactor, 'site']);
    expect(await schema(readings(out))).toEqual(template);
    // The CSV variant reads back with the same columns and types (DuckDB's type sniffing).
    expect(await schema(readings(csvOut, 'csv'))).toEqual(template);
  });

  it('fails the batches the model says, at any scale', async () => {
    const out = tempDir();
    const batches = 400;
    await generateCgtData({ outDir: out, batches, readingsPerBatch: 1, assays: batches * 13, seed: 3 });
    const ids = async (where: string) =>
      (await rows(`SELECT DISTINCT trim(batch_id) AS id FROM read_csv(${q(join(out, 'assays.csv'))}, all_varchar = true, nullstr = ['N/A']) WHERE ${where} ORDER BY id`)).map(
        (r) => r.id,
      );
    const expected = (f: { modulus: number; remainder: number }) =>
      Array.from({ length: batches }, (_, i) => i + 1)
        .filter((n) => n % f.modulus === f.remainder)
        .map((n) => batchId(n, batches));
    const num = `try_cast(trim(replace(result, '%', '')) AS DOUBLE)`;
    const is = (code: string) => `lower(trim(assay)) = ${q(ASSAYS.find((a) => a.code === code)!.name.toLowerCase())}`;
    expect(await ids(`${is('viability')} AND ${num} < 70`)).toEqual(expected(FAILURES.lowViability));
    expect(await ids(`${is('endotoxin')} AND ${num} > 5`)).toEqual(expected(FAILURES.highEndotoxin));
    expect(await ids(`${is('cd3_pct')} AND result IS NULL`)).toEqual(expected(FAILURES.missingCd3));
    expect(await ids(`${is('sterility')} AND lower(result) <> 'no growth'`)).toEqual(expected(FAILURES.sterilityGrowth));
    // and nothing else is out of specification
    const failing = Array.from({ length: batches }, (_, i) => i + 1).filter(batchFailsRelease).length;
    expect(failing).toBeGreaterThan(40);
    expect(await ids(`${is('cd3_pct')} AND ${num} < 80`)).toEqual([]);
    expect(await ids(`${is('vector_copy_number')} AND (${num} < 0.2 OR ${num} > 5)`)).toEqual([]);
  });

  it('injects the messiness the template cleans, unless asked for clean data', async () => {
    const messy = tempDir();
    const clean = tempDir();
    await generateCgtData({ outDir: messy, batches: 200, seed: 2 });
    await generateCgtData({ outDir: clean, batches: 200, seed: 2, messy: false });
    const stats = async (dir: string) =>
      (
        await rows(`SELECT
          count(*) FILTER (WHERE batch_id <> trim(batch_id) OR assay <> trim(assay)) AS padded,
          count(DISTINCT assay) AS spellings,
          count(*) FILTER (WHERE result LIKE '%\\%%' ESCAPE '\\') AS pct_suffix,
          count(*) FILTER (WHERE unit = 'x10^6 cells') AS in_millions,
          count(*) - count(DISTINCT sample_id) AS repeats
        FROM ${csv(dir, 'assays.csv')}`)
      )[0]!;
    const m = await stats(messy);
    expect(Number(m.padded)).toBeGreaterThan(0);
    expect(Number(m.spellings)).toBeGreaterThan(6);
    expect(Number(m.pct_suffix)).toBeGreaterThan(0);
    expect(Number(m.in_millions)).toBeGreaterThan(0);
    expect(m.repeats).toBe(2n);
    expect(await stats(clean)).toEqual({ padded: 0n, spellings: 6n, pct_suffix: 0n, in_millions: 0n, repeats: 0n });
    const [g] = await rows(`SELECT count(*) FILTER (WHERE ph = 0) AS glitches, count(*) FILTER (WHERE do_pct IS NULL) AS dropouts FROM ${readings(messy)}`);
    expect(Number(g!.glitches)).toBeGreaterThan(0);
    expect(Number(g!.dropouts)).toBeGreaterThan(0);
  });

  it('refuses impossible sizes with a usage error', async () => {
    const outDir = tempDir();
    await expect(generateCgtData({ outDir, batches: 0 })).rejects.toThrow(WeirError);
    await expect(generateCgtData({ outDir, batches: 3, assays: -1 })).rejects.toThrow(/assays: expected a whole number/);
    await expect(generateCgtData({ outDir, batches: 3, readingsPerBatch: 2, totalReadings: 6 })).rejects.toThrow(/not both/);
  });
});
