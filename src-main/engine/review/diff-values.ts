import type { DuckDBConnection } from '@duckdb/node-api';
import type { ReviewValues } from '../../../shared/review/schema';
import { queryRows } from '../duckdb/session';
import { ident } from '../duckdb/sql';
import type { ColumnInfo } from '../duckdb/relation-stats';
import { jsonSafe } from '../run/preview';

const SAMPLE = 10;

export interface ValueDiffInput {
  /** Quoted, qualified relations (`"base"."batch_release"`). */
  base: string;
  head: string;
  baseColumns: readonly ColumnInfo[];
  headColumns: readonly ColumnInfo[];
  key: string[] | null;
  keySource: ReviewValues['keySource'];
}

/** Columns on both sides; a retyped one compared as text, so the comparison never fails on a cast. */
function common(a: readonly ColumnInfo[], b: readonly ColumnInfo[]): { name: string; asText: boolean }[] {
  const other = new Map(b.map((c) => [c.name, c.type]));
  return a.filter((c) => other.has(c.name)).map((c) => ({ name: c.name, asText: other.get(c.name) !== c.type }));
}

/**
 * Base vs head rows of one node. With a key: a full outer join on it (IS NOT DISTINCT FROM, so
 * a NULL key matches a NULL key) counting rows only in base, only in head, changed (some
 * common column IS DISTINCT FROM), and per column the mismatches, in one scan; then a sample
 * of changed rows side by side. Without a key: the row multisets, EXCEPT ALL both ways.
 */
export async function diffValues(conn: DuckDBConnection, d: ValueDiffInput): Promise<ReviewValues> {
  const cols = common(d.baseColumns, d.headColumns);
  const sel = (side: string) => cols.map((c) => (c.asText ? `${side}.${ident(c.name)}::VARCHAR` : `${side}.${ident(c.name)}`));
  if (!d.key) {
    const list = (rel: string) => `SELECT ${cols.length ? sel('t').join(', ') : '1'} FROM ${rel} AS t`;
    const [r] = await queryRows(
      conn,
      `SELECT (SELECT count(*) FROM (${list(d.base)} EXCEPT ALL ${list(d.head)}))::BIGINT AS only_base,
              (SELECT count(*) FROM (${list(d.head)} EXCEPT ALL ${list(d.base)}))::BIGINT AS only_head,
              (SELECT count(*) FROM ${d.base})::BIGINT AS base_rows`,
    );
    const onlyBase = Number(r?.only_base ?? 0);
    return { key: null, keySource: null, onlyBase, onlyHead: Number(r?.only_head ?? 0), changed: 0, same: Number(r?.base_rows ?? 0) - onlyBase, columns: [], sample: [] };
  }
  const key = d.key;
  const keySet = new Set(key);
  const values = cols.filter((c) => !keySet.has(c.name));
  const cmp = (c: { name: string; asText: boolean }) => {
    const x = (side: string) => `${side}.${ident(c.name)}${c.asText ? '::VARCHAR' : ''}`;
    return `${x('b')} IS DISTINCT FROM ${x('h')}`;
  };
  const anyDiff = values.length ? values.map(cmp).join(' OR ') : 'false';
  const on = key.map((k) => `b.${ident(k)} IS NOT DISTINCT FROM h.${ident(k)}`).join(' AND ');
  const from = `(SELECT *, true AS "__weir_b" FROM ${d.base}) AS b FULL OUTER JOIN (SELECT *, true AS "__weir_h" FROM ${d.head}) AS h ON ${on}`;
  const both = 'b."__weir_b" AND h."__weir_h"';
  const counts = [
    `count(*) FILTER (WHERE h."__weir_h" IS NULL)::BIGINT AS "only_base"`,
    `count(*) FILTER (WHERE b."__weir_b" IS NULL)::BIGINT AS "only_head"`,
    `count(*) FILTER (WHERE ${both} AND (${anyDiff}))::BIGINT AS "changed"`,
    `count(*) FILTER (WHERE ${both} AND NOT (${anyDiff}))::BIGINT AS "same"`,
    ...values.map((c, i) => `count(*) FILTER (WHERE ${both} AND ${cmp(c)})::BIGINT AS "m${i}"`),
  ];
  const [r] = await queryRows(conn, `SELECT ${counts.join(', ')} FROM ${from}`);
  const columns = values.map((c, i) => ({ column: c.name, mismatches: Number(r?.[`m${i}`] ?? 0) }));
  const changed = Number(r?.changed ?? 0);
  const shown = values.filter((_, i) => (columns[i]?.mismatches ?? 0) > 0);
  let sample: ReviewValues['sample'] = [];
  if (changed > 0 && shown.length) {
    const picks = [
      ...key.map((k, i) => `b.${ident(k)} AS "k${i}"`),
      ...shown.flatMap((c, i) => [`b.${ident(c.name)} AS "b${i}"`, `h.${ident(c.name)} AS "h${i}"`]),
    ];
    const rows = await queryRows(conn, `SELECT ${picks.join(', ')} FROM ${from} WHERE ${both} AND (${anyDiff}) ORDER BY ${[...key.map((_, i) => `"k${i}"`), ...shown.flatMap((_, i) => [`"b${i}"`, `"h${i}"`])].join(', ')} LIMIT ${SAMPLE}`);
    sample = rows.map((row) => ({
      key: Object.fromEntries(key.map((k, i) => [k, jsonSafe(row[`k${i}`])])),
      base: Object.fromEntries(shown.map((c, i) => [c.name, jsonSafe(row[`b${i}`])])),
      head: Object.fromEntries(shown.map((c, i) => [c.name, jsonSafe(row[`h${i}`])])),
    }));
  }
  return { key, keySource: d.keySource, onlyBase: Number(r?.only_base ?? 0), onlyHead: Number(r?.only_head ?? 0), changed, same: Number(r?.same ?? 0), columns, sample };
}
