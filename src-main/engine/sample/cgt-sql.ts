import { literal } from '../duckdb/sql';
import { ASSAYS, FAILURES, PRODUCTS, SITES, batchIdWidth } from './cgt-model';

/**
 * The SELECTs that produce each raw file. Every value is a pure function of a row number
 * and the seed (`hash(row, salt, seed)`), never of `random()` or the order threads finish,
 * so the bytes are the same for any thread count.
 */

export interface Shape {
  batches: number;
  assays: number;
  readings: number;
  seed: number;
  messy: boolean;
  /** Extra rows that repeat an earlier assay row exactly (a LIMS export run twice). */
  duplicates: number;
}

/** Salts keep the draws of different fields independent. */
const SALT = {
  product: 1,
  donor: 2,
  startJitter: 3,
  duration: 4,
  siteCase: 5,
  value: 10,
  nameCase: 11,
  idSpace: 12,
  pctSuffix: 13,
  cellUnit: 14,
  euUnit: 15,
  sterilityCase: 16,
  minute: 17,
  duplicate: 18,
  ph: 20,
  phGlitch: 21,
  dissolvedOxygen: 22,
  doDropout: 23,
  temperature: 24,
  glucose: 25,
  lactate: 26,
} as const;

const sqlList = (xs: readonly string[]) => `[${xs.map(literal).join(', ')}]`;

/** Temporary macros (per connection) shared by the file queries. */
export function macroStatements(shape: Shape): string[] {
  const seed = `${shape.seed}::BIGINT`;
  const width = batchIdWidth(shape.batches);
  return [
    // Uniform in [0, 1): the top 53 bits of a 64-bit hash.
    `CREATE OR REPLACE TEMP MACRO rnd(k, salt) AS (hash(k::BIGINT, salt::INTEGER, ${seed}) >> 11)::DOUBLE / 9007199254740992.0`,
    `CREATE OR REPLACE TEMP MACRO pick(k, salt, n) AS (hash(k::BIGINT, salt::INTEGER, ${seed}) % n::UBIGINT)::BIGINT`,
    `CREATE OR REPLACE TEMP MACRO batch_id(b) AS 'B' || lpad((b + 1)::VARCHAR, ${width}, '0')`,
    // Each site starts a batch every two days or so; cultures run 9 to 13 days.
    `CREATE OR REPLACE TEMP MACRO batch_start(b) AS DATE '2024-01-02' + ((b // ${SITES.length}) * 2 + pick(b, ${SALT.startJitter}, 2))::INTEGER`,
    `CREATE OR REPLACE TEMP MACRO batch_days(b) AS (9 + pick(b, ${SALT.duration}, 5))::INTEGER`,
    `CREATE OR REPLACE TEMP MACRO batch_end(b) AS batch_start(b) + batch_days(b)`,
    `CREATE OR REPLACE TEMP MACRO fails(b, m, r) AS (b + 1) % m = r`,
  ];
}

const messy = (shape: Shape, cond: string) => (shape.messy ? cond : 'false');

export function batchesSql(shape: Shape): string {
  return `SELECT
  batch_id(b) AS batch_id,
  ${sqlList(PRODUCTS)}[pick(b, ${SALT.product}, ${PRODUCTS.length}) + 1] AS product,
  'D' || (100000 + pick(b, ${SALT.donor}, 900000))::VARCHAR AS donor_id,
  CASE WHEN ${messy(shape, `pick(b, ${SALT.siteCase}, 8) = 0`)} THEN lower(site) ELSE site END AS site,
  strftime(batch_start(b), '%Y-%m-%d') AS manufacture_start,
  strftime(batch_end(b), '%Y-%m-%d') AS manufacture_end
FROM (SELECT range AS b, ${sqlList(SITES)}[range % ${SITES.length} + 1] AS site FROM range(${shape.batches}))
ORDER BY b`;
}

export function specsSql(): string {
  const num = (x: number | null) => (x === null ? 'NULL' : literal(String(x)));
  const rows = ASSAYS.map(
    (a) => `(${literal(a.code)}, ${literal(a.name)}, ${a.unit ? literal(a.unit) : 'NULL'}, ${num(a.min)}, ${num(a.max)}, ${a.expected ? literal(a.expected) : 'NULL'})`,
  );
  return `SELECT * FROM (VALUES ${rows.join(', ')}) AS t(assay_code, assay_name, unit, min_value, max_value, expected_text)`;
}

/**
 * Assay results, grouped by batch: batch b gets an equal share of the rows (results j =
 * 0, 1, ... cycle through the six assays; j >= 6 are retests), then the duplicates.
 */
export function assaysSql(shape: Shape): string {
  const { batches: B, assays: A } = shape;
  const f = FAILURES;
  const names = sqlList(ASSAYS.map((a) => a.name));
  const v = (lo: number, span: number) => `${lo} + ${span} * rnd(i, ${SALT.value})`;
  const pct = `CASE WHEN ${messy(shape, `pick(i, ${SALT.pctSuffix}, 8) = 0`)} THEN ' %' ELSE '' END`;
  const mega = `${messy(shape, `pick(i, ${SALT.cellUnit}, 4) = 0`)}`;
  const sampleWidth = Math.max(6, String(A).length);
  return `WITH placed AS (
  SELECT i, b, i - ((b * ${A} + ${B} - 1) // ${B}) AS j
  FROM (SELECT range AS i, (range * ${B}) // ${A} AS b FROM range(${A}))
), valued AS (
  SELECT i, b, j % 6 AS t, j // 6 AS r,
    CASE j % 6
      WHEN 0 THEN CASE WHEN fails(b, ${f.lowViability.modulus}, ${f.lowViability.remainder}) THEN ${v(55, 10)} ELSE ${v(78, 18)} END
      WHEN 1 THEN ${v(2e8, 1.3e9)}
      WHEN 2 THEN ${v(88, 11)}
      WHEN 3 THEN ${v(0.8, 2.7)}
      WHEN 4 THEN CASE WHEN fails(b, ${f.highEndotoxin.modulus}, ${f.highEndotoxin.remainder}) THEN ${v(6, 6)} ELSE ${v(0.05, 1.45)} END
    END AS v,
    ${mega} AS mega
  FROM placed
), rendered AS (
  SELECT i,
    'S' || lpad((i + 1)::VARCHAR, ${sampleWidth}, '0') AS sample_id,
    batch_id(b) || CASE WHEN ${messy(shape, `pick(i, ${SALT.idSpace}, 15) = 0`)} THEN ' ' ELSE '' END AS batch_id,
    CASE ${shape.messy ? `pick(i, ${SALT.nameCase}, 10)` : '0'}
      WHEN 6 THEN upper(${names}[t + 1])
      WHEN 7 THEN upper(${names}[t + 1])
      WHEN 8 THEN lower(${names}[t + 1])
      WHEN 9 THEN ' ' || ${names}[t + 1] || '  '
      ELSE ${names}[t + 1]
    END AS assay,
    CASE t
      WHEN 0 THEN printf('%.1f', v) || ${pct}
      WHEN 1 THEN CASE WHEN mega THEN printf('%.1f', v / 1e6) ELSE printf('%d', round(v)::BIGINT) END
      WHEN 2 THEN CASE WHEN fails(b, ${f.missingCd3.modulus}, ${f.missingCd3.remainder}) THEN 'N/A' ELSE printf('%.1f', v) || ${pct} END
      WHEN 3 THEN printf('%.2f', v)
      WHEN 4 THEN printf('%.3f', v)
      ELSE CASE
        WHEN fails(b, ${f.sterilityGrowth.modulus}, ${f.sterilityGrowth.remainder}) THEN 'Growth'
        WHEN ${messy(shape, `pick(i, ${SALT.sterilityCase}, 5) = 0`)} THEN 'No Growth'
        ELSE 'No growth'
      END
    END AS result,
    CASE t
      WHEN 1 THEN CASE WHEN mega THEN 'x10^6 cells' ELSE 'cells' END
      WHEN 4 THEN CASE WHEN ${messy(shape, `pick(i, ${SALT.euUnit}, 3) = 0`)} THEN 'EU/ml' ELSE 'EU/mL' END
      ELSE ${sqlList(ASSAYS.map((a) => a.unit))}[t + 1]
    END AS unit,
    strftime((batch_end(b) + (1 + r)::INTEGER)::TIMESTAMP + to_minutes((8 + t) * 60 + pick(i, ${SALT.minute}, 60)), '%Y-%m-%d %H:%M:%S') AS tested_at
  FROM valued
), repeated AS (
  SELECT i, 0 AS dup FROM rendered
  UNION ALL
  SELECT pick(range, ${SALT.duplicate}, ${A}) AS i, 1 + range AS dup FROM range(${shape.duplicates})
)
SELECT sample_id, batch_id, assay, result, NULLIF(unit, '') AS unit, tested_at
FROM repeated JOIN rendered USING (i)
ORDER BY i, dup`;
}

/**
 * Bioreactor readings of the batches made at one site, batch after batch, each batch's
 * readings evenly spaced over its culture. Trends: pH and dissolved oxygen drift down,
 * glucose is consumed, lactate accumulates. No ORDER BY: DuckDB keeps range()'s order
 * (preserve_insertion_order), and sorting ten million rows would double the time; the
 * thread-count test in test/unit/sample guards the bytes.
 */
export function readingsSql(shape: Shape, siteIndex: number): string {
  const { batches: B, readings: N } = shape;
  const first = (b: string) => `((${b}) * ${N} + ${B} - 1) // ${B}`;
  const noise = (salt: number, amplitude: number) => `${amplitude} * (rnd(i, ${salt}) - 0.5)`;
  return `WITH placed AS (
  SELECT i, b, i - ${first('b')} AS j, ${first('b + 1')} - ${first('b')} AS n
  FROM (SELECT range AS i, (range * ${B}) // ${N} AS b FROM range(${N}))
  WHERE b % ${SITES.length} = ${siteIndex}
), timed AS (
  SELECT i, b, j, j / n AS f, (batch_days(b) * 86400) // n AS step FROM placed
)
SELECT
  batch_id(b) AS batch_id,
  batch_start(b)::TIMESTAMP + to_seconds((j * step)::BIGINT) AS reading_at,
  CASE WHEN ${messy(shape, `pick(i, ${SALT.phGlitch}, 500) = 0`)} THEN 0.0::DOUBLE
    ELSE round(7.25 - 0.25 * f + ${noise(SALT.ph, 0.1)}, 2) END AS ph,
  CASE WHEN ${messy(shape, `pick(i, ${SALT.doDropout}, 300) = 0`)} THEN NULL::DOUBLE
    ELSE round(45 - 15 * f + ${noise(SALT.dissolvedOxygen, 10)}, 1) END AS do_pct,
  round(37 + ${noise(SALT.temperature, 0.6)}, 2) AS temp_c,
  round(greatest(0.1, 4.5 - 3.2 * f + ${noise(SALT.glucose, 0.4)}), 2) AS glucose_g_l,
  round(0.3 + 2.2 * f + ${noise(SALT.lactate, 0.3)}, 2) AS lactate_g_l
FROM timed`;
}
