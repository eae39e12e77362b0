import { identifierKey, type SqlToken } from './sql-tokens';

/**
 * The one walk over a statement's tokens that tells where a table is named: after FROM / JOIN /
 * a comma in a FROM list, and after TABLE, DESCRIBE, SUMMARIZE, UPDATE and INTO. Parentheses
 * open a frame of their own (a subquery, a CTE body, a function's arguments), so a FROM list
 * inside them ends with them. The rename of a node (rename.ts) and SQL completion in the
 * renderer (src-renderer/sql/sql-scope.ts) both read statements through it, so they agree on
 * what counts as a table reference.
 */

/** Words that start the next clause, so they end a FROM list and are never an alias. */
export const CLAUSE = new Set([
  'where', 'group', 'having', 'qualify', 'window', 'order', 'limit', 'offset', 'union', 'intersect', 'except',
  'select', 'returning', 'values', 'set', 'fetch', 'using', 'on',
]);
export const JOIN_WORDS = new Set(['join', 'natural', 'left', 'right', 'inner', 'outer', 'cross', 'full', 'semi', 'anti', 'asof', 'positional', 'lateral']);
/** Words followed by a single table name. */
export const SINGLE_TABLE = new Set(['table', 'describe', 'summarize', 'update', 'into']);
/** Words that are never an alias after a table name. */
export const NOT_ALIAS_WORDS: readonly string[] = [
  ...CLAUSE, ...JOIN_WORDS, 'from', 'as', 'tablesample', 'using', 'pivot', 'unpivot', 'with', 'and', 'or', 'not', 'then', 'when', 'else', 'end',
];

/** The state of one parenthesis level. */
export interface SqlFrame {
  /** Inside a FROM list (a comma starts another table). */
  inFrom: boolean;
  /** The next name is a table reference. */
  expectTable: boolean;
}

/** The tokens that carry meaning: no spaces, no comments. */
export function isSignificant(t: SqlToken): boolean {
  return t.kind !== 'space' && t.kind !== 'comment';
}

/** The word at `k` lower-cased, or null when it is not a bare word. */
export const wordAt = (sig: readonly SqlToken[], k: number): string | null => (sig[k]?.kind === 'word' ? sig[k].text.toLowerCase() : null);
/** The punctuation at `k`, or null. */
export const punctAt = (sig: readonly SqlToken[], k: number): string | null => (sig[k]?.kind === 'punct' ? sig[k].text : null);

/** The name at `k` as an alias would have it, or null when it cannot be an alias (a keyword in `notAlias`, punctuation…). */
export function aliasKeyAt(sig: readonly SqlToken[], k: number, notAlias: ReadonlySet<string>): string | null {
  const t = sig[k];
  if (!t || (t.kind === 'word' && notAlias.has(t.text.toLowerCase()))) return null;
  return t.kind === 'word' || t.kind === 'quoted' ? identifierKey(t) : null;
}

/** The index of the `)` that closes the `(` at `open` (the end of the tokens if none does). */
function closeParen(sig: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let k = open; k < sig.length; k++) {
    if (punctAt(sig, k) === '(') depth++;
    else if (punctAt(sig, k) === ')' && --depth === 0) return k;
  }
  return sig.length;
}

/** Whether the name at `k` defines a CTE: WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] ( */
function definesCte(sig: readonly SqlToken[], k: number): boolean {
  const before = k > 0 ? (wordAt(sig, k - 1) ?? punctAt(sig, k - 1)) : null;
  if (before !== 'with' && before !== 'recursive' && before !== ',') return false;
  let n = k + 1;
  if (punctAt(sig, n) === '(') n = closeParen(sig, n) + 1;
  if (wordAt(sig, n) !== 'as') return false;
  n++;
  if (wordAt(sig, n) === 'not') n++;
  if (wordAt(sig, n) === 'materialized') n++;
  return punctAt(sig, n) === '(';
}

/**
 * What stands at a token the clause rules leave to the caller:
 * - `table`: a name where a table reference is expected (the frame no longer expects one);
 * - `cte`: the name of a CTE being defined;
 * - `as`: the word AS (an alias may follow; the frame is left as it was);
 * - `name`: any other identifier (a column, a qualifier, an alias, a function…).
 */
export type TableRefRole = 'table' | 'cte' | 'as' | 'name';

export interface TableRefStep {
  /** Index into the significant tokens. */
  k: number;
  role: TableRefRole;
  /** The identifier as DuckDB compares it (lower-cased, unquoted); `as` for the word AS. */
  name: string;
  /** The innermost frame, which the caller may change. */
  frame: SqlFrame;
}

/**
 * Walks the significant tokens of a statement (see isSignificant), applying the clause rules and
 * calling `visit` for identifiers and AS. `visit` may return the index of the last token it
 * consumed (a dotted name, say) to continue after it. Returns the innermost frame at the end.
 */
export function walkTableRefs(sig: readonly SqlToken[], visit: (step: TableRefStep) => number | void): SqlFrame {
  const frames: SqlFrame[] = [{ inFrom: false, expectTable: false }];
  const frame = () => frames[frames.length - 1] as SqlFrame;
  for (let k = 0; k < sig.length; k++) {
    const w = wordAt(sig, k);
    const p = punctAt(sig, k);
    if (p === '(') {
      frame().expectTable = false;
      frames.push({ inFrom: false, expectTable: false });
      continue;
    }
    if (p === ')') {
      if (frames.length > 1) frames.pop();
      continue;
    }
    if (p === ',') {
      if (frame().inFrom) frame().expectTable = true;
      continue;
    }
    if (w === 'from' || w === 'join') {
      frame().inFrom = true;
      frame().expectTable = true;
      continue;
    }
    if (w !== null && SINGLE_TABLE.has(w)) {
      frame().expectTable = true;
      continue;
    }
    if (w !== null && CLAUSE.has(w)) {
      // ON / USING end a join's table, not the FROM list; the rest end the list.
      if (w !== 'on' && w !== 'using') frame().inFrom = false;
      frame().expectTable = false;
      continue;
    }
    if (w !== null && JOIN_WORDS.has(w)) continue;
    const name = identifierKey(sig[k]!);
    if (name === null) {
      frame().expectTable = false;
      continue;
    }
    let role: TableRefRole;
    if (w === 'as') role = 'as';
    else if (definesCte(sig, k)) {
      frame().expectTable = false;
      role = 'cte';
    } else if (frame().expectTable && punctAt(sig, k - 1) !== '.') {
      frame().expectTable = false;
      role = 'table';
    } else role = 'name';
    const last = visit({ k, role, name, frame: frame() });
    if (typeof last === 'number') k = last;
  }
  return frame();
}
