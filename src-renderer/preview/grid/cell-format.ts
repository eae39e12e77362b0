/** How preview values read: numbers right-aligned, NULL never confused with an empty string. */

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC|INT\d*)\b/i;

/** Lists of numbers (`INTEGER[]`) read as JSON, left-aligned like other nested values. */
export const isNumericType = (type: string): boolean => NUMERIC.test(type) && !/\]$/.test(type);

export type CellKind = 'null' | 'empty' | 'number' | 'boolean' | 'json' | 'text';

export function cellKind(v: unknown): CellKind {
  if (v === null || v === undefined) return 'null';
  if (v === '') return 'empty';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'object') return 'json';
  return 'text';
}

const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/;

/**
 * Dates and timestamps arrive as ISO strings (JSON has no date type); they read as DuckDB
 * prints them: a DATE without a time, a TIMESTAMP without the `T` and `Z`. A TIMESTAMPTZ
 * keeps its `Z`: it is an instant in UTC.
 */
function temporalText(s: string, type: string): string {
  const m = ISO.exec(s);
  if (!m) return s;
  if (type === 'DATE') return m[1]!;
  if (/^TIMESTAMP(_S|_MS|_NS)?$/.test(type)) return `${m[1]} ${m[2]}${m[3] && !/^\.0+$/.test(m[3]) ? m[3] : ''}`;
  return s;
}

/** The text a cell shows (and copies): NULL and '' spelled out so they differ. */
export function cellText(v: unknown, type = ''): string {
  switch (cellKind(v)) {
    case 'null':
      return 'NULL';
    case 'empty':
      return "''";
    case 'json':
      return JSON.stringify(v);
    case 'text':
      return type ? temporalText(String(v), type) : String(v);
    default:
      return String(v);
  }
}
