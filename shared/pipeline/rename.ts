import { identifier } from '../nodes/common';
import type { Pipeline, PipelineNode } from './schema';
import { sqlName } from './sql-names';
import { aliasKeyAt, isSignificant, NOT_ALIAS_WORDS, punctAt, walkTableRefs } from './sql-table-refs';
import { tokenizeSql, type SqlToken } from './sql-tokens';

/**
 * Renaming a node rewrites the places where downstream SQL refers to it as a table: after
 * FROM / JOIN / a comma in a FROM list (and TABLE, DESCRIBE, SUMMARIZE), and as the qualifier
 * in `old.column`. DuckDB compares identifiers case-insensitively, quoted or not. Left alone:
 * string literals, comments, `x.old` (a member of something else), `schema.old`, a column
 * that merely shares the name, and everything when a CTE of the same name shadows the input.
 */

/** Words never read as an alias (completion's list also has SAMPLE). */
const NOT_ALIAS = new Set(NOT_ALIAS_WORDS);

/** Indexes (into `tokens`) of table references and qualifiers naming `key`, and the names that shadow it. */
function findReferences(tokens: SqlToken[], key: string) {
  const at = tokens.flatMap((t, i) => (isSignificant(t) ? [i] : []));
  const sig = at.map((i) => tokens[i]!);
  const punct = (k: number) => punctAt(sig, k);
  const tables: number[] = [];
  const qualifiers: number[] = [];
  let shadowedByCte = false;
  let shadowedByAlias = false;
  // `x AS name` or the bare `table name`: an alias of that name may be what `name.column` means.
  const aliasAt = (k: number) => {
    if (aliasKeyAt(sig, k, NOT_ALIAS) === key) shadowedByAlias = true;
  };

  walkTableRefs(sig, ({ k, role, name }) => {
    const afterDot = punct(k - 1) === '.';
    const beforeDot = punct(k + 1) === '.';
    switch (role) {
      case 'as':
        aliasAt(k + 1);
        return;
      case 'cte':
        if (name === key) shadowedByCte = true;
        return;
      case 'table': {
        if (beforeDot) {
          // schema.table or catalog.schema.table: some other relation; skip the dotted name.
          let last = k;
          while (punct(last + 1) === '.' && sig[last + 2]) last += 2;
          aliasAt(last + 1);
          return last;
        }
        if (punct(k + 1) === '(') return; // a table function
        if (name === key) tables.push(at[k]!);
        aliasAt(k + 1);
        return;
      }
      case 'name':
        if (beforeDot && !afterDot && name === key) qualifiers.push(at[k]!);
    }
  });
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
      return t.kind === 'quoted' ? `"${newName.replace(/"/g, '""')}"` : sqlName(newName);
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
