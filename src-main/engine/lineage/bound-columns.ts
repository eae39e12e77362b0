import type { DuckDBConnection } from '@duckdb/node-api';
import type { BoundColumns } from '../../../shared/lineage';
import { queryRows } from '../duckdb/session';

/**
 * The columns of every relation in the connection's current catalog and schema (a run's or a
 * preview session's: one per node made), as DuckDB bound them, in one query rather than a
 * DESCRIBE per node. Keyed by lower-cased relation name.
 */
export async function boundColumns(conn: DuckDBConnection): Promise<BoundColumns> {
  const rows = await queryRows(
    conn,
    `SELECT table_name, column_name, data_type FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = current_schema() AND NOT internal
     ORDER BY table_name, column_index`,
  );
  const out = new Map<string, { name: string; type: string }[]>();
  for (const r of rows) {
    const k = String(r.table_name).toLowerCase();
    const list = out.get(k) ?? [];
    list.push({ name: String(r.column_name), type: String(r.data_type) });
    out.set(k, list);
  }
  return out;
}
