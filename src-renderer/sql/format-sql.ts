import { format } from 'sql-formatter';
import { tokenizeSql, type SqlToken } from '../../shared/pipeline/sql-tokens';

/**
 * Formats a node's SQL with sql-formatter's DuckDB dialect: keywords, identifiers and
 * functions keep the case they were typed in, strings and comments stay as they are.
 * sql-formatter writes a call of a function it does not know (getvariable, a macro) as
 * `name (x)`; a name the analyst wrote as `name(` gets its call back.
 */
export function formatSql(sql: string): string {
  const formatted = format(sql, { language: 'duckdb', tabWidth: 2, keywordCase: 'preserve', identifierCase: 'preserve', dataTypeCase: 'preserve', functionCase: 'preserve' });
  return restoreCalls(sql, formatted);
}

const code = (tokens: SqlToken[]) => tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');

/** Names the original text writes directly before `(`, and names it writes with a space first. */
function callStyles(sql: string): { tight: Set<string>; spaced: Set<string> } {
  const tight = new Set<string>();
  const spaced = new Set<string>();
  const tokens = tokenizeSql(sql);
  tokens.forEach((t, i) => {
    if (t.kind !== 'word' && t.kind !== 'quoted') return;
    const next = tokens[i + 1];
    if (next?.kind === 'punct' && next.text === '(') tight.add(t.text.toLowerCase());
    else if (next?.kind === 'space' && tokens[i + 2]?.text === '(') spaced.add(t.text.toLowerCase());
  });
  return { tight, spaced };
}

function restoreCalls(original: string, formatted: string): string {
  const { tight, spaced } = callStyles(original);
  const tokens = tokenizeSql(formatted);
  let out = '';
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const name = prev && (prev.kind === 'word' || prev.kind === 'quoted') ? prev.text.toLowerCase() : null;
    // A single space between a name and "(" that the original wrote without one.
    if (t.kind === 'space' && t.text === ' ' && next?.text === '(' && name && tight.has(name) && !spaced.has(name)) return;
    out += t.text;
  });
  // Formatting must never change what the SQL says: same tokens, only spacing moved.
  const same = (a: SqlToken[], b: SqlToken[]) => a.length === b.length && a.every((t, i) => t.text === b[i]!.text || t.kind === 'comment');
  if (!same(code(tokenizeSql(original)), code(tokenizeSql(out)))) throw new Error('the formatter would change the SQL; it is left as it is');
  return out;
}
