import { WeirError } from '../../../shared/errors';
import type { PreviewFilter, PreviewSort } from '../../../shared/preview/query';
import { ident, literal } from '../duckdb/sql';

/**
 * The SQL a preview runs over a node's relation: its filters and order applied by DuckDB to
 * every row, then the LIMIT. Column names are quoted as names and values as literals (never
 * spliced), and a column must be one of the relation's (DuckDB's own answer, from DESCRIBE).
 */

export interface PreviewShape {
  /** The relation's column names, as DESCRIBE gives them. */
  columns: readonly string[];
  orderBy?: readonly PreviewSort[];
  filter?: readonly PreviewFilter[];
}

/** The relation's own spelling of `name` (DuckDB compares names ignoring case), or a usage error. */
function columnOf(columns: readonly string[], name: string): string {
  const found = columns.find((c) => c === name) ?? columns.find((c) => c.toLowerCase() === name.toLowerCase());
  if (found === undefined) throw new WeirError('usage', `the node has no column "${name}" to sort or filter by`);
  return found;
}

const valueText = (v: PreviewFilter['value']): string => (v === undefined ? '' : String(v));

/** One filter as a condition. A value is a string literal, which DuckDB converts to the column's type (so `>= '90'` compares numbers). */
export function filterCondition(f: PreviewFilter, columns: readonly string[]): string {
  const c = ident(columnOf(columns, f.column));
  const v = literal(valueText(f.value));
  switch (f.op) {
    case 'is_null':
      return `${c} IS NULL`;
    case 'not_null':
      return `${c} IS NOT NULL`;
    // Not equal keeps the rows without a value, as a spreadsheet's "does not equal" does.
    case '!=':
      return `${c} IS DISTINCT FROM ${v}`;
    case 'contains':
      return `contains(lower(CAST(${c} AS VARCHAR)), lower(${v}))`;
    case 'starts_with':
      return `starts_with(lower(CAST(${c} AS VARCHAR)), lower(${v}))`;
    default:
      return `${c} ${f.op} ${v}`;
  }
}

/** `FROM relation WHERE … ` with the filters; the part a row count and the rows share. */
export function filteredFrom(relation: string, shape: PreviewShape): string {
  const conditions = (shape.filter ?? []).map((f) => filterCondition(f, shape.columns));
  return `FROM ${ident(relation)}${conditions.length ? ` WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : ''}`;
}

/** `ORDER BY …` (NULLs last either way, as a spreadsheet sorts them), or '' without an order. */
export function orderClause(shape: PreviewShape): string {
  const keys = (shape.orderBy ?? []).map((s) => `${ident(columnOf(shape.columns, s.column))} ${s.descending ? 'DESC' : 'ASC'} NULLS LAST`);
  return keys.length ? ` ORDER BY ${keys.join(', ')}` : '';
}

/** The preview's query: the rows of `relation` filtered, ordered and limited. */
export function previewQuery(relation: string, shape: PreviewShape, limit: number): string {
  return `SELECT * ${filteredFrom(relation, shape)}${orderClause(shape)} LIMIT ${Math.max(0, Math.floor(limit))}`;
}

/** Whether a preview filters or orders (otherwise the plain LIMIT, which stops early over views, is all it needs). */
export function shapes(shape: Omit<PreviewShape, 'columns'>): boolean {
  return !!(shape.orderBy?.length || shape.filter?.length);
}
