import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './session';
import { ident } from './sql';

export interface ColumnInfo {
  name: string;
  type: string;
}

/** A relation's columns and their DuckDB types, in order (DESCRIBE binds the query only). */
export async function describeColumns(conn: DuckDBConnection, relation: string): Promise<ColumnInfo[]> {
  const rows = await queryRows(conn, `SELECT column_name, column_type FROM (DESCRIBE ${ident(relation)})`);
  return rows.map((c) => ({ name: String(c.column_name), type: String(c.column_type) }));
}

/**
 * Row count and an order-independent hash of a relation: the sum of DuckDB's row hashes,
 * with the column names and types, so that the same data gives the same hash whatever
 * order parallel threads produced it in.
 */
export async function relationStats(conn: DuckDBConnection, name: string): Promise<{ rows: number; hash: string }> {
  const columns = await describeColumns(conn, name);
  const [agg] = await queryRows(conn, `SELECT count(*)::BIGINT AS n, coalesce(sum(hash(t)), 0)::VARCHAR AS h FROM ${ident(name)} AS t`);
  const rows = Number(agg?.n ?? 0);
  const hash = createHash('sha256')
    .update(columns.map((c) => `${c.name} ${c.type}`).join('\n'))
    .update(`\n${rows}\n${String(agg?.h ?? '0')}`)
    .digest('hex');
  return { rows, hash };
}

/**
 * Row count of a view. A view is not materialized: hashing it would compute it once more
 * than the nodes reading it do (for a 10-million-row view, seconds). Its content is fixed
 * by its cache key (its SQL, parameters and its inputs' keys), which the record carries.
 */
export async function relationRowCount(conn: DuckDBConnection, name: string): Promise<number> {
  const [agg] = await queryRows(conn, `SELECT count(*)::BIGINT AS n FROM ${ident(name)}`);
  return Number(agg?.n ?? 0);
}
