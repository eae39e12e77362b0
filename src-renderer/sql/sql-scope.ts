import { aliasKeyAt, isSignificant, NOT_ALIAS_WORDS, punctAt, walkTableRefs, wordAt } from '../../shared/pipeline/sql-table-refs';
import { identifierKey, type SqlToken } from '../../shared/pipeline/sql-tokens';

/**
 * What a statement reads, as far as completion needs it: the tables after FROM / JOIN (and
 * their aliases), the CTEs it defines, and whether the cursor is where a table name goes.
 * The clause rules are the rename's (shared/pipeline/sql-table-refs.ts walks both).
 */

/** Words never read as an alias: the shared list, and SAMPLE. */
const NOT_ALIAS = new Set([...NOT_ALIAS_WORDS, 'sample']);

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

/** Reads the FROM lists, aliases and CTEs of a statement's tokens. */
export function statementScope(tokens: readonly SqlToken[]): StatementScope {
  const sig = tokens.filter(isSignificant);
  const refs: TableRef[] = [];
  const ctes: string[] = [];
  /** The alias after a table at k (`t AS a`, `t a`), or null. */
  const aliasAt = (k: number): string | null =>
    (wordAt(sig, k) === 'as' ? aliasKeyAt(sig, k + 1, NOT_ALIAS) : null) ?? aliasKeyAt(sig, k, NOT_ALIAS);

  const end = walkTableRefs(sig, ({ k, role, name, frame }) => {
    if (role === 'as') frame.expectTable = false;
    else if (role === 'cte') ctes.push(name);
    else if (role === 'table') {
      let last = k;
      let key = name;
      while (punctAt(sig, last + 1) === '.' && sig[last + 2] && identifierKey(sig[last + 2]!) !== null) {
        last += 2;
        key = identifierKey(sig[last]!) as string;
      }
      if (punctAt(sig, last + 1) === '(') return; // a table function
      refs.push({ key, alias: aliasAt(last + 1) });
      return last;
    }
  });
  return { refs, ctes, expectTable: end.expectTable };
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
