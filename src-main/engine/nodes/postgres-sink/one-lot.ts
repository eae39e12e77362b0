import type { DuckDBConnection } from '@duckdb/node-api';
import { WeirError } from '../../../../shared/errors';
import { queryRows } from '../../duckdb/session';
import { ident } from '../../duckdb/sql';

/**
 * replace_partition deletes the lot's rows and inserts the input: a row of another lot (or none)
 * would land beside that lot's own rows and outlive its next run, so the load is refused.
 */
export async function assertOneLot(conn: DuckDBConnection, relation: string, lot: { column: string; value: string }, nodeName: string): Promise<void> {
  const cols = await queryRows(conn, `SELECT column_name FROM (DESCRIBE ${ident(relation)})`);
  if (!cols.some((r) => String(r.column_name) === lot.column)) {
    throw new WeirError('node', `node "${nodeName}": mode replace_partition needs the partition key's column "${lot.column}" in its input`);
  }
  const rows = await queryRows(conn, `SELECT count(*) AS n FROM ${ident(relation)} WHERE CAST(${ident(lot.column)} AS VARCHAR) IS DISTINCT FROM $1`, [lot.value]);
  const n = Number(rows[0]?.n ?? 0);
  if (n > 0) throw new WeirError('node', `node "${nodeName}": ${n} row(s) of its input are not of lot "${lot.value}" (column "${lot.column}"); replace_partition writes one lot's rows only`);
}
