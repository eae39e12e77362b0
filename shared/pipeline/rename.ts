import { identifier } from '../nodes/common';
import { mapRoleFields } from '../nodes/field-roles';
import { fieldRolesOf } from '../nodes/registry';
import type { Pipeline, PipelineNode } from './schema';
import { sqlName } from '../sql/names';
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

/** `sql` (text, or lines) with several tables renamed at once: `a → b, b → c` moves each reference once. */
function renameTablesInSql(sql: string, renames: readonly (readonly [string, string])[]): string {
  if (renames.length === 1) return renameTableInSql(sql, renames[0]![0], renames[0]![1]);
  // Through names the text does not hold, so that one rename's result is not renamed again.
  const lower = sql.toLowerCase();
  let stem = 'weir_renaming_';
  while (lower.includes(stem)) stem = `_${stem}`;
  let out = sql;
  renames.forEach(([from], i) => (out = renameTableInSql(out, from, `${stem}${i}`)));
  renames.forEach(([, to], i) => (out = renameTableInSql(out, `${stem}${i}`, to)));
  return out;
}

function rewriteSql(value: unknown, renames: readonly (readonly [string, string])[]): unknown {
  if (typeof value === 'string') return renameTablesInSql(value, renames);
  if (Array.isArray(value) && value.every((l) => typeof l === 'string')) {
    const before = (value as string[]).join('\n');
    const after = renameTablesInSql(before, renames);
    return after === before ? value : after.split('\n');
  }
  return value;
}

/**
 * A node's config with its references to other nodes renamed (old name → new name, compared
 * case-insensitively, as DuckDB does): where its kind's declared SQL fields read them as tables,
 * and in its declared node-name fields (a check's relationship `to`). Kinds declare these roles
 * (shared/nodes/<kind>/); SQL run by another system is left alone. The same object when nothing
 * changed.
 */
export function renameReferences(kind: string, config: Record<string, unknown>, renames: ReadonlyMap<string, string>): Record<string, unknown> {
  const pairs = [...renames].filter(([from, to]) => from !== to);
  if (!pairs.length) return config;
  const byLower = new Map(pairs.map(([from, to]) => [from.toLowerCase(), to]));
  return mapRoleFields(fieldRolesOf(kind), config, (r) => r.type === 'sql' || r.type === 'node', (value, role) => {
    if (role.type === 'sql') return rewriteSql(value, pairs);
    return typeof value === 'string' ? (byLower.get(value.toLowerCase()) ?? value) : value;
  });
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
 * Renames a node and rewrites the references to it in the nodes that take it as an input: in
 * the fields their kinds declare as SQL or as naming a node (renameReferences). Edges point at
 * ids, so they need no change. Throws on a bad name.
 */
export function renameNode(p: Pipeline, nodeId: string, newName: string): RenameResult {
  const node = p.nodes.find((n) => n.id === nodeId);
  if (!node) throw new Error(`no node with id "${nodeId}"`);
  const problem = nodeNameProblem(p, nodeId, newName);
  if (problem) throw new Error(`cannot rename "${node.name}" to "${newName}": ${problem}`);
  const oldName = node.name;
  const rewritten: string[] = [];
  const renames = new Map([[oldName, newName]]);
  const nodes = p.nodes.map((n): PipelineNode => {
    if (n.id === nodeId) return { ...n, name: newName };
    if (!n.inputs.includes(nodeId)) return n;
    const config = renameReferences(n.kind, n.config, renames);
    if (config === n.config) return n;
    rewritten.push(n.name);
    return { ...n, config };
  });
  return { pipeline: { ...p, nodes }, rewritten };
}
