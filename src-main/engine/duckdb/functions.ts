import type { DuckdbFactory } from './instance';
import { queryRows } from './session';

export interface DuckdbFunction {
  name: string;
  /** scalar, aggregate, table, macro, table_macro. */
  type: string;
  description: string | null;
  /** The parameter names of its shortest overload, e.g. `x, precision`. */
  params: string | null;
}

/**
 * The functions this DuckDB build knows, for completion in the SQL editor: one row per
 * name and type, with a description and the simplest signature. Internal names (`__…`),
 * operators and pragmas are left out.
 */
export async function listDuckdbFunctions(duckdb: DuckdbFactory): Promise<DuckdbFunction[]> {
  // An instance that touches no file: the list is the build's, not a workspace's.
  const conn = await (await duckdb([])).connect();
  try {
    const rows = await queryRows(
      conn,
      `SELECT function_name AS name, function_type AS type,
              min(description) AS description,
              arg_min(array_to_string(parameters, ', '), len(parameters)) AS params
       FROM duckdb_functions()
       WHERE function_type <> 'pragma'
         AND regexp_full_match(function_name, '[A-Za-z_][A-Za-z0-9_]*')
         AND NOT starts_with(function_name, '__')
       GROUP BY ALL
       ORDER BY name, type`,
    );
    return rows.map((r) => ({
      name: String(r.name),
      type: String(r.type),
      description: r.description == null ? null : String(r.description),
      params: r.params == null ? null : String(r.params),
    }));
  } finally {
    conn.closeSync();
  }
}
