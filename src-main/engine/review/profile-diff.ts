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
 * the counts, min, max and mean of all columns, then one query for the most frequent values of
 * the columns with few distinct values.
 */
export async function profileRelation(conn: DuckDBConnection, rel: string, columns: readonly ColumnInfo[]): Promise<Map<string, ReviewColumnProfile>> {
  const out = new Map<string, ReviewColumnProfile>();
  if (!columns.length) return out;
  const parts = ['count(*)::BIGINT AS "r"'];
  columns.forEach((c, i) => {
    const x = ident(c.name);
    parts.push(`(count(*) - count(${x}))::BIGINT AS "n${i}"`, `count(DISTINCT ${x})::BIGINT AS "d${i}"`);
    if (!UNORDERABLE.test(c.type)) parts.push(`min(${x})::VARCHAR AS "lo${i}"`, `max(${x})::VARCHAR AS "hi${i}"`);
    // fsum (compensated) and 12 significant digits below: a parallel sum's last bits vary run to run, and the
    // same change must give the same report from every shell.
    if (NUMERIC.test(c.type)) parts.push(`fsum(${x}::DOUBLE) / nullif(count(${x}), 0) AS "m${i}"`);
  });
  const [s] = await queryRows(conn, `SELECT ${parts.join(', ')} FROM ${rel}`);
  const rows = Number(s?.r ?? 0);
  // The most frequent values of every column with few distinct ones, in one query (a query costs more than its rows here).
  const topOf = new Map<number, ReviewColumnProfile['top']>();
  const few = columns.map((c, i) => ({ c, i })).filter(({ c, i }) => Number(s?.[`d${i}`] ?? 0) <= TOP_MAX_DISTINCT && !UNORDERABLE.test(c.type));
  if (few.length) {
    const union = few.map(({ c, i }) => `SELECT ${i} AS c, ${ident(c.name)}::VARCHAR AS v, count(*)::BIGINT AS n FROM ${rel} GROUP BY 2`).join(' UNION ALL ');
    const tops = await queryRows(conn, `SELECT c, v, n FROM (${union}) QUALIFY row_number() OVER (PARTITION BY c ORDER BY n DESC, v NULLS LAST) <= ${TOP} ORDER BY c, n DESC, v NULLS LAST`);
    for (const t of tops) {
      const list = topOf.get(Number(t.c)) ?? [];
      list.push({ value: text(t.v), count: Number(t.n) });
      topOf.set(Number(t.c), list);
    }
  }
  for (const [i, c] of columns.entries()) {
    const mean = num(s?.[`m${i}`]);
    out.set(c.name, {
      type: c.type,
      rows,
      nulls: Number(s?.[`n${i}`] ?? 0),
      distinct: Number(s?.[`d${i}`] ?? 0),
      min: text(s?.[`lo${i}`]),
      max: text(s?.[`hi${i}`]),
      mean: mean === null || !Number.isFinite(mean) ? null : Number(mean.toPrecision(12)),
      top: topOf.get(i) ?? [],
    });
  }
  return out;
}
