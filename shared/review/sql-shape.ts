import { canonicalJson } from '../canonical-json';

/**
 * How a node's SQL changed, decided from DuckDB's parse trees (`json_serialize_sql`), never
 * from the text: a comment or whitespace changes no tree. `added_columns`: the only change is
 * new entries in the outermost select list (every old entry still there, in order), which
 * cannot change the rows or the existing columns. Anything else may change rows.
 */
export type SqlShapeChange = 'same' | 'added_columns' | 'changed';

/** A parse tree without source positions (a comment moves them, and changes nothing else). */
export function withoutLocations(tree: unknown): unknown {
  if (Array.isArray(tree)) return tree.map(withoutLocations);
  if (tree && typeof tree === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(tree)) if (k !== 'query_location') out[k] = withoutLocations(v);
    return out;
  }
  return tree;
}

interface SelectTree {
  statements: { node: Record<string, unknown> & { type?: unknown; select_list?: unknown } }[];
}

function isSelectTree(t: unknown): t is SelectTree {
  const s = (t as SelectTree | null)?.statements;
  return Array.isArray(s) && s.length === 1 && s[0]?.node?.type === 'SELECT_NODE' && Array.isArray(s[0].node.select_list);
}

/** Compares two parse trees (positions already removed, or not: they are removed here). */
export function sqlShapeChange(base: unknown, head: unknown): SqlShapeChange {
  const a = withoutLocations(base);
  const b = withoutLocations(head);
  if (canonicalJson(a) === canonicalJson(b)) return 'same';
  if (!isSelectTree(a) || !isSelectTree(b)) return 'changed';
  const { select_list: la, ...restA } = a.statements[0]!.node;
  const { select_list: lb, ...restB } = b.statements[0]!.node;
  if (canonicalJson(restA) !== canonicalJson(restB)) return 'changed';
  const oldItems = (la as unknown[]).map((x) => canonicalJson(x));
  const newItems = (lb as unknown[]).map((x) => canonicalJson(x));
  // Every old entry, in the same order, with new ones anywhere between them.
  let i = 0;
  for (const item of newItems) if (i < oldItems.length && item === oldItems[i]) i++;
  return i === oldItems.length && newItems.length > oldItems.length ? 'added_columns' : 'changed';
}
