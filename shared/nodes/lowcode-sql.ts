import { z } from 'zod';
import { article } from '../format';
import { sqlName } from '../sql/names';
import { quoteIdent, toSqlLines } from './common';

/**
 * What the low-code kinds (filter, select, join, aggregate, union, deduplicate) share:
 * the schemas of a column name and of an SQL fragment, and the small pieces of SQL
 * layout. Column names picked from a list are always quoted; SQL fragments the user types
 * (a filter condition, an aggregate expression, a join's extra condition) are inserted as
 * typed, as dbt inserts a model's SQL.
 */

/** A column of an input, as the input names it (any name: it is quoted). */
export const columnName = z.string().min(1, 'expected a column name');

/** SQL typed by the user; may span lines. Blank means "none" where the field is optional. */
export const sqlFragment = z.string();

export function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

/** Same column name for DuckDB, which compares identifiers case-insensitively. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** An input (a node name) as a table reference: bare, quoted only where DuckDB reserves the word. */
export function inputRef(name: string): string {
  return sqlName(name);
}

/** The input names a kind needs, or a one-line error saying how many it takes. */
export function expectInputs(kind: string, inputNames: readonly string[], min: number, max: number): string[] {
  if (inputNames.length < min || inputNames.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new Error(`${article(kind)} ${kind} node takes ${want} input${max === 1 ? '' : 's'}, got ${inputNames.length}`);
  }
  return [...inputNames];
}

/** A typed fragment as lines: no surrounding blank lines, trailing spaces or trailing semicolons. */
export function fragmentLines(text: string): string[] {
  const lines = toSqlLines(text.replace(/[\s;]+$/, '')).map((l) => l.trimEnd());
  while (lines.length > 1 && lines[0] === '') lines.shift();
  return lines;
}

/** Whether generated text after this line would land inside a `--` comment. */
function endsInComment(line: string): boolean {
  return line.includes('--');
}

/**
 * `open` + fragment + `close` on one line when the fragment is one line; otherwise `open`,
 * the fragment indented, then `close`, each on their own line (so that neither a `--`
 * comment in the fragment nor its line breaks change what the SQL means).
 */
export function wrapFragment(open: string, fragment: readonly string[], close: string, indent = '  '): string[] {
  if (fragment.length === 1 && !endsInComment(fragment[0]!)) return [`${open}${fragment[0]}${close}`];
  const out = [open.trimEnd(), ...fragment.map((l) => (l === '' ? '' : `${indent}${l}`))];
  if (close.trim() !== '') out.push(close.trimStart());
  return out;
}

/** A fragment's lines with `suffix` appended to the last, or on a line of its own after a `--` comment. */
export function appendToFragment(fragment: readonly string[], suffix: string, indent: string): string[] {
  const out = fragment.map((l, i) => (i === 0 || l === '' ? l : `${indent}${l}`));
  const last = out.length - 1;
  if (endsInComment(out[last]!)) out.push(`${indent}${suffix.trimStart()}`);
  else out[last] = `${out[last]}${suffix}`;
  return out;
}

/**
 * `SELECT` with its items: on one line when there is one short item, otherwise one item a
 * line, indented, with commas. Each item is a list of lines (an expression may span lines).
 */
export function selectList(items: readonly (readonly string[])[], keyword = 'SELECT'): string[] {
  if (items.length === 1 && items[0]!.length === 1) return [`${keyword} ${items[0]![0]}`];
  const out = [keyword];
  items.forEach((item, i) => {
    const lines = item.map((l) => (l === '' ? '' : `  ${l}`));
    if (i < items.length - 1) {
      const last = lines.length - 1;
      if (endsInComment(lines[last]!)) lines.push('  ,');
      else lines[last] = `${lines[last]},`;
    }
    out.push(...lines);
  });
  return out;
}

/** `"a", "b"`: quoted column names for GROUP BY, EXCLUDE, PARTITION BY. */
export function columnList(names: readonly string[]): string {
  return names.map(quoteIdent).join(', ');
}
