/** PostgreSQL quoting for names the engine writes itself (same rules as DuckDB's). */
export function pgIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function pgQualified(schema: string, table: string): string {
  return `${pgIdent(schema)}.${pgIdent(table)}`;
}

export function pgLiteral(value: string): string {
  // standard_conforming_strings is on by default since PostgreSQL 9.1; E'' is not needed.
  return `'${value.replace(/'/g, "''")}'`;
}

/** PostgreSQL cuts names at 63 bytes; longer ones would silently collide. */
export const PG_MAX_IDENT_BYTES = 63;

export function identBytes(name: string): number {
  return Buffer.byteLength(name, 'utf8');
}
