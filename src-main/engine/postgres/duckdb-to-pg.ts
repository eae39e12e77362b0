import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { ident } from '../duckdb/sql';

/**
 * DuckDB column type → PostgreSQL column type, and the DuckDB SQL that renders a value in
 * PostgreSQL's COPY text format. DuckDB does the rendering, vectorised and in parallel,
 * so Node only joins ready-made lines: per-value conversion in JavaScript would make Node,
 * not the server, the bottleneck.
 */

/** How a value is rendered as COPY text (see RENDER). */
type CopyText = 'cast' | 'escaped' | 'json' | 'utc' | 'hex' | 'null';

const T = DuckDBTypeId;

/** DuckDB types → the PostgreSQL column type and the COPY text rendering. Types not listed: text, escaped. */
const TYPES: readonly [DuckDBTypeId[], string | ((t: DuckDBType) => string), CopyText][] = [
  [[T.BOOLEAN], 'boolean', 'cast'],
  [[T.TINYINT, T.UTINYINT, T.SMALLINT], 'smallint', 'cast'],
  [[T.USMALLINT, T.INTEGER], 'integer', 'cast'],
  [[T.UINTEGER, T.BIGINT], 'bigint', 'cast'],
  [[T.UBIGINT], 'numeric(20,0)', 'cast'],
  [[T.HUGEINT, T.UHUGEINT], 'numeric(39,0)', 'cast'],
  [[T.BIGNUM], 'numeric', 'cast'],
  [[T.FLOAT], 'real', 'cast'],
  [[T.DOUBLE], 'double precision', 'cast'], // inf, -inf and nan are accepted by PostgreSQL as written
  [[T.DECIMAL], decimalType, 'cast'],
  [[T.DATE], 'date', 'cast'],
  [[T.TIME, T.TIME_NS], 'time', 'cast'],
  [[T.TIME_TZ], 'timetz', 'cast'],
  [[T.TIMESTAMP, T.TIMESTAMP_S, T.TIMESTAMP_MS, T.TIMESTAMP_NS], 'timestamp', 'cast'],
  [[T.TIMESTAMP_TZ], 'timestamptz', 'utc'],
  [[T.INTERVAL], 'interval', 'cast'],
  [[T.UUID], 'uuid', 'cast'],
  [[T.BLOB], 'bytea', 'hex'],
  [[T.BIT], 'varbit', 'cast'],
  [[T.LIST, T.ARRAY, T.STRUCT, T.MAP, T.UNION, T.VARIANT], 'jsonb', 'json'],
  [[T.VARCHAR], (t) => (isJson(t) ? 'jsonb' : 'text'), 'escaped'],
  [[T.SQLNULL], 'text', 'null'],
];
const BY_TYPE = new Map(TYPES.flatMap(([ids, pg, copy]) => ids.map((id) => [id, { pg, copy }] as const)));
/** ENUM, GEOMETRY and anything newer: text keeps the value readable. */
const OTHER = { pg: 'text', copy: 'escaped' } as const;

function decimalType(t: DuckDBType): string {
  const d = t as DuckDBType & { width: number; scale: number };
  return `numeric(${d.width},${d.scale})`;
}

export function pgTypeFor(t: DuckDBType): string {
  const { pg } = BY_TYPE.get(t.typeId) ?? OTHER;
  return typeof pg === 'string' ? pg : pg(t);
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

/** Each rendering, of a quoted column name. */
const RENDER: Record<CopyText, (c: string) => string> = {
  // The VARCHAR form of numbers, dates, times, UUIDs and bits holds nothing COPY escapes.
  cast: (c) => `CAST(${c} AS VARCHAR)`,
  escaped: (c) => escapeText(`CAST(${c} AS VARCHAR)`),
  json: (c) => escapeText(`CAST(to_json(${c}) AS VARCHAR)`),
  // Rendered in UTC with an explicit +00: DuckDB prints the session zone's offset
  // rounded to minutes, which loses seconds for historical (LMT) offsets. The instant's
  // microseconds as a plain TIMESTAMP print the same text as timezone('UTC', ...) at a
  // quarter of the CPU (no calendar lookup of a zone; bench figure 4a).
  utc: (c) => `CASE WHEN isfinite(${c}) THEN CAST(make_timestamp(epoch_us(${c})) AS VARCHAR) || '+00' ELSE CAST(${c} AS VARCHAR) END`,
  // bytea hex input is \x followed by hex digits; the backslash itself is escaped for COPY.
  hex: (c) => `'\\\\x' || hex(${c})`,
  null: () => 'CAST(NULL AS VARCHAR)',
};

/** A VARCHAR expression for one value in COPY text format, NULL for NULL. */
export function copyTextExpr(column: string, t: DuckDBType): string {
  return RENDER[(BY_TYPE.get(t.typeId) ?? OTHER).copy](ident(column));
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
