import type { DuckDBConnection } from '@duckdb/node-api';
import type { Json } from '../../../shared/lineage';
import { literal } from '../duckdb/sql';
import { queryRows } from '../duckdb/session';

/**
 * DuckDB's own parse of many queries in one round trip (`json_serialize_sql`): the tree
 * column lineage walks. A text the parser refuses comes back as `{ error: true, ... }`.
 */
export async function parseQueries(conn: DuckDBConnection, sqls: readonly string[]): Promise<Json[]> {
  if (!sqls.length) return [];
  const values = sqls.map((s, i) => `(${i}, ${literal(s)})`).join(', ');
  const rows = await queryRows(conn, `SELECT i, json_serialize_sql(s) AS j FROM (VALUES ${values}) AS q(i, s) ORDER BY i`);
  return rows.map((r) => JSON.parse(String(r.j)) as Json);
}
