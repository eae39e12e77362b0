import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { ident } from '../duckdb/sql';

/**
 * DuckDB column type → PostgreSQL column type, and the DuckDB SQL that renders a value in
 * PostgreSQL's COPY text format. DuckDB does the rendering, vectorised and in parallel,
 * so Node only joins ready-made lines: per-value conversion in JavaScript would make Node,
 * not the server, the bottleneck.
 */
export function pgTypeFor(t: DuckDBType): string {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return 'boolean';
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.SMALLINT:
      return 'smallint';
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.INTEGER:
      return 'integer';
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
      return 'bigint';
    case DuckDBTypeId.UBIGINT:
      return 'numeric(20,0)';
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return 'numeric(39,0)';
    case DuckDBTypeId.BIGNUM:
      return 'numeric';
    case DuckDBTypeId.FLOAT:
      return 'real';
    case DuckDBTypeId.DOUBLE:
      return 'double precision';
    case DuckDBTypeId.DECIMAL: {
      const d = t as DuckDBType & { width: number; scale: number };
      return `numeric(${d.width},${d.scale})`;
    }
    case DuckDBTypeId.DATE:
      return 'date';
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
      return 'time';
    case DuckDBTypeId.TIME_TZ:
      return 'timetz';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'timestamp';
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'timestamptz';
    case DuckDBTypeId.INTERVAL:
      return 'interval';
    case DuckDBTypeId.UUID:
      return 'uuid';
    case DuckDBTypeId.BLOB:
      return 'bytea';
    case DuckDBTypeId.BIT:
      return 'varbit';
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.UNION:
    case DuckDBTypeId.VARIANT:
      return 'jsonb';
    case DuckDBTypeId.VARCHAR:
      return isJson(t) ? 'jsonb' : 'text';
    default:
      // ENUM, a NULL literal's type, GEOMETRY and anything newer: text keeps the value readable.
      return 'text';
  }
}

function isJson(t: DuckDBType): boolean {
  return t.alias?.toUpperCase() === 'JSON';
}

/**
 * Backslash, newline, carriage return and tab are the characters COPY text format escapes.
 * Most values hold none of them: testing first is ten times cheaper than always replacing.
 */
function escapeText(expr: string): string {
  const needs = `contains(${expr}, '\\') OR contains(${expr}, chr(10)) OR contains(${expr}, chr(13)) OR contains(${expr}, chr(9))`;
  const escaped = `replace(replace(replace(replace(${expr}, '\\', '\\\\'), chr(10), '\\n'), chr(13), '\\r'), chr(9), '\\t')`;
  return `CASE WHEN ${needs} THEN ${escaped} ELSE ${expr} END`;
}

/** A VARCHAR expression for one value in COPY text format, NULL for NULL. */
export function copyTextExpr(column: string, t: DuckDBType): string {
  const c = ident(column);
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE: // inf, -inf and nan are accepted by PostgreSQL as written
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.DATE:
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.INTERVAL:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.BIT:
      return `CAST(${c} AS VARCHAR)`;
    case DuckDBTypeId.TIMESTAMP_TZ:
      // Rendered in UTC with an explicit +00: DuckDB prints the session zone's offset
      // rounded to minutes, which loses seconds for historical (LMT) offsets.
      return `CASE WHEN isfinite(${c}) THEN CAST(timezone('UTC', ${c}) AS VARCHAR) || '+00' ELSE CAST(${c} AS VARCHAR) END`;
    case DuckDBTypeId.BLOB:
      // bytea hex input is \x followed by hex digits; the backslash itself is escaped for COPY.
      return `'\\\\x' || hex(${c})`;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
    case DuckDBTypeId.UNION:
    case DuckDBTypeId.VARIANT:
      return escapeText(`CAST(to_json(${c}) AS VARCHAR)`);
    case DuckDBTypeId.SQLNULL:
      return 'CAST(NULL AS VARCHAR)';
    default:
      return escapeText(`CAST(${c} AS VARCHAR)`);
  }
}

/**
 * One COPY text line per row, newline included, as a BLOB of its UTF-8 bytes: values
 * joined by tabs, NULL as \N. Node copies the bytes as they are (no decoding into a
 * JavaScript string and encoding back), which halves Node's share of the work.
 */
export function copyLineSelect(relation: string, columns: readonly { name: string; type: DuckDBType }[]): string {
  const parts = columns.map((col) => `coalesce(${copyTextExpr(col.name, col.type)}, '\\N')`);
  return `SELECT encode(concat(${parts.join(', chr(9), ')}, chr(10))) AS line FROM ${ident(relation)}`;
}
