import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReviewColumnProfile } from '../../../shared/review/schema';
import { queryRows } from '../duckdb/session';
import { ident } from '../duckdb/sql';
import type { ColumnInfo } from '../duckdb/relation-stats';

const NUMERIC = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|REAL|DECIMAL)/;
const UNORDERABLE = /^(STRUCT|MAP|UNION|JSON)|\[\]$/;
const TOP = 5;
/** Top values are counted for columns with at most this many distinct values (a GROUP BY of a key column says nothing). */
const TOP_MAX_DISTINCT = 1000;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

/**
 * Every column's profile of one relation (`rel` is already quoted and qualified): one scan for
 * the counts, min, max and mean of all columns, then the most frequent values of the columns
 * with few distinct values.
 */
export async function profileRelation(conn: DuckDBConnection, rel: string, columns: readonly ColumnInfo[]): Promise<Map<string, ReviewColumnProfile>> {
  const out = new Map<string, ReviewColumnProfile>();
  if (!columns.length) return out;
  const parts = ['count(*)::BIGINT AS "r"'];
  columns.forEach((c, i) => {
    const x = ident(c.name);
    parts.push(`(count(*) - count(${x}))::BIGINT AS "n${i}"`, `count(DISTINCT ${x})::BIGINT AS "d${i}"`);
    if (!UNORDERABLE.test(c.type)) parts.push(`min(${x})::VARCHAR AS "lo${i}"`, `max(${x})::VARCHAR AS "hi${i}"`);
    if (NUMERIC.test(c.type)) parts.push(`avg(${x}::DOUBLE) AS "m${i}"`);
  });
  const [s] = await queryRows(conn, `SELECT ${parts.join(', ')} FROM ${rel}`);
  const rows = Number(s?.r ?? 0);
  for (const [i, c] of columns.entries()) {
    const distinct = Number(s?.[`d${i}`] ?? 0);
    let top: ReviewColumnProfile['top'] = [];
    if (distinct <= TOP_MAX_DISTINCT && !UNORDERABLE.test(c.type)) {
      const x = ident(c.name);
      top = (await queryRows(conn, `SELECT ${x}::VARCHAR AS v, count(*)::BIGINT AS n FROM ${rel} GROUP BY 1 ORDER BY n DESC, v NULLS LAST LIMIT ${TOP}`)).map((r) => ({
        value: text(r.v),
        count: Number(r.n),
      }));
    }
    const mean = num(s?.[`m${i}`]);
    out.set(c.name, {
      type: c.type,
      rows,
      nulls: Number(s?.[`n${i}`] ?? 0),
      distinct,
      min: text(s?.[`lo${i}`]),
      max: text(s?.[`hi${i}`]),
      // 12 significant digits: DuckDB's parallel avg adds in no fixed order, so the last bits
      // differ between two reviews of the same data (the designer's and the CLI's must be equal).
      mean: mean === null || Number.isNaN(mean) ? null : Number.isFinite(mean) ? Number(mean.toPrecision(12)) : mean,
      top,
    });
  }
  return out;
}
