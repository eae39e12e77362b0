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

const INTEGER = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|INT\d*)$/i;
const FLOATING = /^(FLOAT\d*|DOUBLE|REAL)$/i;
const DECIMAL = /^(DECIMAL|NUMERIC)\s*\(\s*\d+\s*,\s*(\d+)\s*\)$/i;

/** Digits grouped by thousands, for integers that arrive as text (beyond 2^53) or decimals' whole part. */
function groupDigits(digits: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(digits);
  if (!m) return digits;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

/** Significant digits a floating-point value shows (the raw value is on hover and on copy). */
export const SIGNIFICANT_DIGITS = 6;

/**
 * A double as a person reads it: six significant digits (`2.1792499999999992` → `2.17925`),
 * but never fewer than its whole digits (`1,234,568`), grouped by thousands; very small and very
 * large magnitudes in exponent form (`1.5e-9`).
 */
export function formatDouble(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const ax = Math.abs(x);
  if (ax >= 1e15 || ax < 1e-6) return x.toExponential(SIGNIFICANT_DIGITS - 1).replace(/\.?0+e/, 'e').replace('e+', 'e');
  if (ax < 1) return x.toLocaleString('en-US', { maximumSignificantDigits: SIGNIFICANT_DIGITS });
  const whole = Math.floor(Math.log10(ax)) + 1;
  return x.toLocaleString('en-US', { maximumFractionDigits: Math.max(0, SIGNIFICANT_DIGITS - whole) });
}

/** A number by its column's type: integers grouped, doubles rounded (formatDouble), decimals at their scale. */
export function formatNumber(v: number | bigint | string, type: string): string {
  const t = type.trim();
  if (typeof v === 'string') {
    // Integers beyond 2^53 and some decimals arrive as text: grouped, never rounded.
    return INTEGER.test(t) || DECIMAL.test(t) ? groupDigits(v) : v;
  }
  if (typeof v === 'bigint') return groupDigits(v.toString());
  if (INTEGER.test(t)) return Number.isInteger(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 0 }) : String(v);
  const dec = DECIMAL.exec(t);
  if (dec) {
    const scale = Math.min(20, Number(dec[2]));
    return v.toLocaleString('en-US', { minimumFractionDigits: scale, maximumFractionDigits: scale });
  }
  if (FLOATING.test(t)) return formatDouble(v);
  return String(v);
}

/** The text a cell shows: NULL and '' spelled out so they differ; numbers and dates formatted by the column's type. */
export function cellText(v: unknown, type = ''): string {
  switch (cellKind(v)) {
    case 'null':
      return 'NULL';
    case 'empty':
      return "''";
    case 'json':
      return JSON.stringify(v);
    case 'number':
      return type ? formatNumber(v as number | bigint, type) : String(v);
    case 'text':
      if (!type) return String(v);
      if (isNumericType(type)) return formatNumber(String(v), type);
      return temporalText(String(v), type);
    default:
      return String(v);
  }
}

/**
 * The value as it came from DuckDB, unrounded: what a cell copies and shows on hover when its
 * text is formatted. NULL copies as nothing (a spreadsheet's empty cell).
 */
export function rawText(v: unknown, type = ''): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  // Dates and timestamps travel as ISO text; DuckDB's own spelling is the raw one to a user.
  if (typeof v === 'string' && type && !isNumericType(type)) return temporalText(v, type);
  return String(v);
}

/** The tooltip of a cell: the raw value where the cell shows it formatted or cut; none where the text says it all. */
export function cellTitle(v: unknown, type: string, shown = cellText(v, type)): string | undefined {
  const kind = cellKind(v);
  if (kind === 'null') return 'NULL (no value)';
  if (kind === 'empty') return 'empty string';
  const raw = rawText(v, type);
  if (raw !== shown) return raw;
  return shown.length > 24 ? shown : undefined;
}

/** Cells as tab-separated lines of raw values (what a copy of grid cells puts on the clipboard). */
export function copyText(rows: readonly (readonly unknown[])[], types: readonly string[] = []): string {
  return rows.map((r) => r.map((v, j) => rawText(v, types[j] ?? '').replace(/[\t\n\r]+/g, ' ')).join('\t')).join('\n');
}
