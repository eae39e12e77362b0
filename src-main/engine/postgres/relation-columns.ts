import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import { WeirError } from '../../../shared/errors';
import { ident } from '../duckdb/sql';
import { PG_MAX_IDENT_BYTES, identBytes } from './sql';
import { pgTypeFor } from './duckdb-to-pg';

export interface SinkColumn {
  name: string;
  type: DuckDBType;
  pgType: string;
}

/** The input relation's columns with their PostgreSQL types, refusing names PostgreSQL would cut. */
export async function sinkColumns(conn: DuckDBConnection, relation: string): Promise<SinkColumn[]> {
  const res = await conn.run(`SELECT * FROM ${ident(relation)} LIMIT 0`);
  const names = res.columnNames();
  const types = res.columnTypes();
  const cols = names.map((name, i) => ({ name, type: types[i]!, pgType: pgTypeFor(types[i]!) }));
  if (!cols.length) throw new WeirError('node', `input "${relation}" has no columns`);
  const seen = new Set<string>();
  for (const c of cols) {
    if (identBytes(c.name) > PG_MAX_IDENT_BYTES) {
      throw new WeirError('node', `column "${c.name}" is longer than PostgreSQL's ${PG_MAX_IDENT_BYTES} bytes: rename it in an upstream SQL node`);
    }
    if (seen.has(c.name)) throw new WeirError('node', `input "${relation}" has two columns named "${c.name}"`);
    seen.add(c.name);
  }
  return cols;
}
