import { identifier } from '../nodes/common';
import type { Pipeline, PipelineNode } from './schema';
import { identifierKey, tokenizeSql, type SqlToken } from './sql-tokens';

/**
 * Renaming a node rewrites the places where downstream SQL refers to it as a table: after
 * FROM / JOIN / a comma in a FROM list (and TABLE, DESCRIBE, SUMMARIZE), and as the qualifier
 * in `old.column`. DuckDB compares identifiers case-insensitively, quoted or not. Left alone:
 * string literals, comments, `x.old` (a member of something else), `schema.old`, a column
 * that merely shares the name, and everything when a CTE of the same name shadows the input.
 */

/** Words that start the next clause, so they end a FROM list and are never an alias. */
const CLAUSE = new Set([
  'where', 'group', 'having', 'qualify', 'window', 'order', 'limit', 'offset', 'union', 'intersect', 'except',
  'select', 'returning', 'values', 'set', 'fetch', 'using', 'on',
]);
const JOIN_WORDS = new Set(['join', 'natural', 'left', 'right', 'inner', 'outer', 'cross', 'full', 'semi', 'anti', 'asof', 'positional', 'lateral']);
const SINGLE_TABLE = new Set(['table', 'describe', 'summarize', 'update', 'into']);
const NOT_ALIAS = new Set([...CLAUSE, ...JOIN_WORDS, 'from', 'as', 'tablesample', 'using', 'pivot', 'unpivot', 'with', 'and', 'or', 'not', 'then', 'when', 'else', 'end']);

/** DuckDB's reserved words: a new name among them must be written quoted. */
const RESERVED = new Set(
  ('all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create default ' +
    'deferrable desc describe distinct do else end except false fetch for foreign from grant group having in initially ' +
    'intersect into lateral leading limit not null offset on only or order pivot pivot_longer pivot_wider placing primary ' +
    'qualify references returning select show some summarize symmetric table then to trailing true union unique unpivot ' +
    'using variadic when where window with').split(' '),
);

export function sqlIdentifierText(name: string): string {
  return RESERVED.has(name.toLowerCase()) ? `"${name.replace(/"/g, '""')}"` : name;
}

interface Frame {
  inFrom: boolean;
  expectTable: boolean;
}

/** Indexes (into `tokens`) of table references and qualifiers naming `key`, and the names that shadow it. */
function findReferences(tokens: SqlToken[], key: string) {
  const sig = tokens.map((t, i) => ({ t, i })).filter(({ t }) => t.kind !== 'space' && t.kind !== 'comment');
  const word = (k: number) => (sig[k]?.t.kind === 'word' ? sig[k].t.text.toLowerCase() : null);
  const punct = (k: number) => (sig[k]?.t.kind === 'punct' ? sig[k].t.text : null);
  const isIdent = (k: number) => {
    const t = sig[k]?.t;
    return !!t && (t.kind === 'quoted' || (t.kind === 'word' && !NOT_ALIAS.has(t.text.toLowerCase())));
  };
  const tables: number[] = [];
  const qualifiers: number[] = [];
  let shadowedByCte = false;
  let shadowedByAlias = false;
  const frames: Frame[] = [{ inFrom: false, expectTable: false }];
  const frame = () => frames[frames.length - 1] as Frame;

  const closeParen = (open: number): number => {
    let depth = 0;
    for (let k = open; k < sig.length; k++) {
      if (punct(k) === '(') depth++;
      else if (punct(k) === ')' && --depth === 0) return k;
    }
    return sig.length;
  };
  const aliasAfter = (k: number) => {
    // `… AS alias` is caught where AS is seen; here the bare `table alias` form.
    if (isIdent(k) && identifierKey(sig[k]!.t) === key) shadowedByAlias = true;
  };

  for (let k = 0; k < sig.length; k++) {
    const { t, i } = sig[k]!;
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
      // ON / USING end a join's table, not the FROM list; the rest end the list.
      if (w !== 'on' && w !== 'using') frame().inFrom = false;
      frame().expectTable = false;
      continue;
    }
    if (w === 'as') {
      // `x AS name`: an alias of that name may be what `name.column` means.
      if (isIdent(k + 1) && identifierKey(sig[k + 1]!.t) === key) shadowedByAlias = true;
      continue;
    }
    if (w !== null && JOIN_WORDS.has(w)) continue;
    const name = identifierKey(t);
    if (name === null) {
      frame().expectTable = false;
      continue;
    }
    const afterDot = punct(k - 1) === '.';
    const beforeDot = punct(k + 1) === '.';
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
          if (name === key) shadowedByCte = true;
          frame().expectTable = false;
          continue;
        }
      }
    }
    if (frame().expectTable && !afterDot) {
      frame().expectTable = false;
      if (beforeDot) {
        // schema.table or catalog.schema.table: some other relation; skip the dotted name.
        while (punct(k + 1) === '.' && sig[k + 2]) k += 2;
        aliasAfter(k + 1);
        continue;
      }
      if (punct(k + 1) === '(') continue; // a table function
      if (name === key) tables.push(i);
      aliasAfter(k + 1);
      continue;
    }
    if (beforeDot && !afterDot && name === key) qualifiers.push(i);
  }
  return { tables, qualifiers, shadowedByCte, shadowedByAlias };
}

/** `sql` with the table `oldName` renamed to `newName` where it is referred to as a table. */
export function renameTableInSql(sql: string, oldName: string, newName: string): string {
  const key = oldName.toLowerCase();
  if (!sql.toLowerCase().includes(key)) return sql;
  const tokens = tokenizeSql(sql);
  const refs = findReferences(tokens, key);
  if (refs.shadowedByCte) return sql;
  const targets = new Set([...refs.tables, ...(refs.shadowedByAlias ? [] : refs.qualifiers)]);
  if (!targets.size) return sql;
  return tokens
    .map((t, i) => {
      if (!targets.has(i)) return t.text;
      return t.kind === 'quoted' ? `"${newName.replace(/"/g, '""')}"` : sqlIdentifierText(newName);
    })
    .join('');
}

/** Config fields holding SQL (text or lines) or an SQL expression that may read tables (a filter's or join's `condition`). */
const SQL_FIELDS = new Set(['sql', 'where', 'expression', 'condition']);
/** Config fields naming another node (a check's `relationship` rule: `to`). */
const NODE_NAME_FIELDS = new Set(['to']);

function rewriteSql(value: unknown, oldName: string, newName: string): unknown {
  if (typeof value === 'string') return renameTableInSql(value, oldName, newName);
  if (Array.isArray(value) && value.every((l) => typeof l === 'string')) {
    const before = (value as string[]).join('\n');
    const after = renameTableInSql(before, oldName, newName);
    return after === before ? value : after.split('\n');
  }
  return value;
}

/** The config with references to `oldName` rewritten; the same object when nothing changed. */
function rewriteConfig(value: unknown, oldName: string, newName: string, key: string | null): unknown {
  if (key !== null && SQL_FIELDS.has(key)) return rewriteSql(value, oldName, newName);
  if (key !== null && NODE_NAME_FIELDS.has(key) && typeof value === 'string') {
    return value.toLowerCase() === oldName.toLowerCase() ? newName : value;
  }
  if (Array.isArray(value)) {
    const out = value.map((v) => rewriteConfig(v, oldName, newName, null));
    return out.some((v, i) => v !== value[i]) ? out : value;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const out = entries.map(([k, v]) => [k, rewriteConfig(v, oldName, newName, k)] as const);
    return out.some(([, v], i) => v !== entries[i]![1]) ? Object.fromEntries(out) : value;
  }
  return value;
}

export interface RenameResult {
  pipeline: Pipeline;
  /** Names (after the rename) of the nodes whose SQL changed. */
  rewritten: string[];
}

/** Why `newName` cannot name node `nodeId`, or null when it can. */
export function nodeNameProblem(p: Pipeline, nodeId: string, newName: string): string | null {
  const ok = identifier.safeParse(newName);
  if (!ok.success) return ok.error.issues[0]?.message ?? 'expected an SQL identifier';
  const clash = p.nodes.find((n) => n.id !== nodeId && n.name.toLowerCase() === newName.toLowerCase());
  if (clash) return `another node is already named "${clash.name}" (names are case-insensitive)`;
  return null;
}

/**
 * Renames a node and rewrites the references to it in the nodes that take it as an input:
 * SQL (`sql` text or lines, `where`, `expression` and `condition`) and a check's `to`. Edges point at
 * ids, so they need no change. Throws on a bad name.
 */
export function renameNode(p: Pipeline, nodeId: string, newName: string): RenameResult {
  const node = p.nodes.find((n) => n.id === nodeId);
  if (!node) throw new Error(`no node with id "${nodeId}"`);
  const problem = nodeNameProblem(p, nodeId, newName);
  if (problem) throw new Error(`cannot rename "${node.name}" to "${newName}": ${problem}`);
  const oldName = node.name;
  const rewritten: string[] = [];
  const nodes = p.nodes.map((n): PipelineNode => {
    if (n.id === nodeId) return { ...n, name: newName };
    if (!n.inputs.includes(nodeId)) return n;
    const config = rewriteConfig(n.config, oldName, newName, null) as Record<string, unknown>;
    if (config === n.config) return n;
    rewritten.push(n.name);
    return { ...n, config };
  });
  return { pipeline: { ...p, nodes }, rewritten };
}
