import { identifierKey, type SqlToken } from '../../shared/pipeline/sql-tokens';

/**
 * What a statement reads, as far as completion needs it: the tables after FROM / JOIN (and
 * their aliases), the CTEs it defines, and whether the cursor is where a table name goes.
 * The same clause rules as the rename of a node (shared/pipeline/rename.ts), read forwards.
 */

/** Words that start the next clause, so they end a FROM list and are never an alias. */
const CLAUSE = new Set([
  'where', 'group', 'having', 'qualify', 'window', 'order', 'limit', 'offset', 'union', 'intersect', 'except',
  'select', 'returning', 'values', 'set', 'fetch', 'using', 'on',
]);
const JOIN_WORDS = new Set(['join', 'natural', 'left', 'right', 'inner', 'outer', 'cross', 'full', 'semi', 'anti', 'asof', 'positional', 'lateral']);
const SINGLE_TABLE = new Set(['table', 'describe', 'summarize', 'update', 'into']);
const NOT_ALIAS = new Set([...CLAUSE, ...JOIN_WORDS, 'from', 'as', 'tablesample', 'using', 'pivot', 'unpivot', 'with', 'and', 'or', 'not', 'then', 'when', 'else', 'end', 'sample']);

export interface TableRef {
  /** The table's name, lower-cased as DuckDB compares it. */
  key: string;
  /** Its alias (lower-cased), if it has one. */
  alias: string | null;
}

export interface StatementScope {
  refs: TableRef[];
  /** Names of the CTEs the statement defines (lower-cased). */
  ctes: string[];
  /** At the end of the tokens given: a table name is expected next (after FROM, JOIN, a comma in a FROM list…). */
  expectTable: boolean;
}

interface Frame {
  inFrom: boolean;
  expectTable: boolean;
}

const significant = (tokens: readonly SqlToken[]) => tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');

/** Reads the FROM lists, aliases and CTEs of a statement's tokens. */
export function statementScope(tokens: readonly SqlToken[]): StatementScope {
  const sig = significant(tokens);
  const word = (k: number) => (sig[k]?.kind === 'word' ? sig[k].text.toLowerCase() : null);
  const punct = (k: number) => (sig[k]?.kind === 'punct' ? sig[k].text : null);
  const isIdent = (k: number) => {
    const t = sig[k];
    return !!t && (t.kind === 'quoted' || (t.kind === 'word' && !NOT_ALIAS.has(t.text.toLowerCase())));
  };
  const closeParen = (open: number): number => {
    let depth = 0;
    for (let k = open; k < sig.length; k++) {
      if (punct(k) === '(') depth++;
      else if (punct(k) === ')' && --depth === 0) return k;
    }
    return sig.length;
  };
  const refs: TableRef[] = [];
  const ctes: string[] = [];
  const frames: Frame[] = [{ inFrom: false, expectTable: false }];
  const frame = () => frames[frames.length - 1] as Frame;
  /** The alias after a table at k (`t AS a`, `t a`), or null. */
  const aliasAt = (k: number): string | null => {
    if (word(k) === 'as' && isIdent(k + 1)) return identifierKey(sig[k + 1]!);
    return isIdent(k) ? identifierKey(sig[k]!) : null;
  };

  for (let k = 0; k < sig.length; k++) {
    const t = sig[k]!;
    const w = word(k);
    const p = punct(k);
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
      if (w !== 'on' && w !== 'using') frame().inFrom = false;
      frame().expectTable = false;
      continue;
    }
    if (w !== null && JOIN_WORDS.has(w)) continue;
    const name = identifierKey(t);
    if (name === null || w === 'as') {
      frame().expectTable = false;
      continue;
    }
    // CTE: WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (
    const before = k > 0 ? (word(k - 1) ?? punct(k - 1)) : null;
    if (before === 'with' || before === 'recursive' || before === ',') {
      let n = k + 1;
      if (punct(n) === '(') n = closeParen(n) + 1;
      if (word(n) === 'as') {
        n++;
        if (word(n) === 'not') n++;
        if (word(n) === 'materialized') n++;
        if (punct(n) === '(') {
          ctes.push(name);
          frame().expectTable = false;
          continue;
        }
      }
    }
    if (frame().expectTable && punct(k - 1) !== '.') {
      frame().expectTable = false;
      let last = k;
      let key = name;
      while (punct(last + 1) === '.' && sig[last + 2] && identifierKey(sig[last + 2]!) !== null) {
        last += 2;
        key = identifierKey(sig[last]!) as string;
      }
      if (punct(last + 1) === '(') continue; // a table function
      refs.push({ key, alias: aliasAt(last + 1) });
      k = last;
    }
  }
  return { refs, ctes, expectTable: frame().expectTable };
}

/** The tokens of the statement around `offset` (statements end at top-level semicolons). */
export function statementTokens(tokens: readonly SqlToken[], offset: number): SqlToken[] {
  let start = 0;
  let end = tokens.length;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === ';') {
      if (t.start < offset) start = i + 1;
      else {
        end = i;
        break;
      }
    }
  }
  return tokens.slice(start, end);
}
