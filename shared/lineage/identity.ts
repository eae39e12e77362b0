import { SEP } from './deps';
import { arr, holdsAggregate, isObj, lastName, low, str, type Json, type Obj } from './parse-tree';

/**
 * Which input columns each output column of a query EQUALS on every input row that made the
 * output row: the columns "explain this value" can restrict an input by. Narrower than column
 * lineage's direct edges: `a` is identity, `upper(a)` and `sum(a)` are not. Join and WHERE
 * equalities between two columns (`ON a.k = b.k`, `USING (k)`) make both sides' columns equal
 * (an outer join's unmatched side contributed no row, so the equality holds for every row
 * that did); a GROUP BY key equals the key of every row in its group.
 *
 * What makes a row of the output depend on rows that no restriction can pick out is said in
 * `untraceable`: a window over the whole table, an aggregate without GROUP BY. A window with
 * PARTITION BY depends on its partition's rows: only the partition keys restrict (`keysOnly`).
 */
export interface IdentityColumn {
  name: string | null;
  /** Input columns, keyed `node\0column` (node as the SQL names it). */
  equals: Set<string>;
}

export interface QueryIdentity {
  columns: IdentityColumn[];
  /** Why no input row set can be picked out for an output row. */
  untraceable?: string;
  /** Only these input columns may restrict (window partitions); every identity column otherwise. */
  keysOnly?: Set<string>;
}

interface IRel {
  columns: IdentityColumn[];
  untraceable?: string;
  keysOnly?: Set<string>;
}

interface IScope {
  rels: { alias: string | null; rel: IRel; hidden?: Set<string> }[];
  aliases?: Map<string, IdentityColumn>;
}

type Ctes = ReadonlyMap<string, IRel>;

/** The identity columns of one query (DuckDB's `json_serialize_sql` tree), given its inputs' names and columns. */
export function queryIdentity(tree: Json, inputs: readonly { name: string; columns: readonly string[] }[]): QueryIdentity {
  if (!isObj(tree) || tree.error === true) return { columns: [], untraceable: 'its SQL cannot be parsed' };
  const statements = arr(tree.statements);
  const first = statements[0];
  if (statements.length !== 1 || !isObj(first) || !isObj(first.node)) return { columns: [], untraceable: 'its SQL is not exactly one query' };
  const byName = new Map<string, IRel>();
  for (const i of inputs) byName.set(low(i.name), { columns: i.columns.map((c) => ({ name: c, equals: new Set([`${i.name}${SEP}${c}`]) })) });
  return query(first.node, byName, new Map());
}

const copyRel = (r: IRel): IRel => ({ ...r, columns: r.columns.map((c) => ({ name: c.name, equals: new Set(c.equals) })) });

function query(node: Json | undefined, inputs: ReadonlyMap<string, IRel>, outer: Ctes): IRel {
  if (!isObj(node)) return { columns: [], untraceable: 'a query the parser gave no tree for' };
  const ctes = new Map(outer);
  for (const entry of isObj(node.cte_map) ? arr(node.cte_map.map) : []) {
    if (!isObj(entry) || !isObj(entry.value)) continue;
    const q = entry.value.query;
    const rel = query(isObj(q) ? q.node : null, inputs, ctes);
    arr(entry.value.aliases).forEach((a, i) => {
      if (rel.columns[i]) rel.columns[i]!.name = str(a);
    });
    ctes.set(low(str(entry.key)), rel);
  }
  if (node.type === 'SELECT_NODE') return select(node, inputs, ctes);
  if (node.type === 'SET_OPERATION_NODE') {
    const left = query(node.left, inputs, ctes);
    const right = query(node.right, inputs, ctes);
    const untraceable = left.untraceable ?? right.untraceable;
    if (str(node.setop_type) !== 'UNION' && str(node.setop_type) !== 'UNION_BY_NAME') {
      // EXCEPT / INTERSECT: the rows are the left side's; the right side only removes some.
      return { columns: left.columns, ...(untraceable ? { untraceable } : {}) };
    }
    const columns = left.columns.map((c) => ({ name: c.name, equals: new Set(c.equals) }));
    right.columns.forEach((c, i) => {
      const same = str(node.setop_type) === 'UNION_BY_NAME' ? columns.find((o) => o.name !== null && c.name !== null && low(o.name) === low(c.name)) : columns[i];
      if (same) for (const k of c.equals) same.equals.add(k);
      else columns.push({ name: c.name, equals: new Set(c.equals) });
    });
    return { columns, ...(untraceable ? { untraceable } : {}) };
  }
  return { columns: [], untraceable: node.type === 'RECURSIVE_CTE_NODE' ? 'a recursive CTE (its rows feed themselves)' : `a ${low(str(node.type)) || 'query'} Weir does not trace` };
}

function select(node: Obj, inputs: ReadonlyMap<string, IRel>, ctes: Ctes): IRel {
  const scope: IScope = { rels: [], aliases: new Map() };
  let untraceable = from(node.from_table, inputs, ctes, scope);
  // Before the select list: `a.k = b.k` makes the items that read either carry both.
  if (isObj(node.where_clause)) equate(node.where_clause, scope);
  const out: IdentityColumn[] = [];
  const items = arr(node.select_list).filter(isObj);
  const windows: Obj[] = [];
  for (const item of items) {
    if (item.class === 'STAR') {
      const relation = low(str(item.relation_name));
      const exclude = new Set(arr(item.exclude_list).map((e) => low(isObj(e) ? str(e.column) : str(e))));
      const replaced = new Set(arr(item.replace_list).filter(isObj).map((r) => low(str(r.key))));
      const rename = new Map<string, string>();
      for (const r of arr(item.rename_list)) if (isObj(r) && isObj(r.key)) rename.set(low(str(r.key.column)), str(r.value));
      if (item.columns === true && isObj(item.expr)) untraceable ??= 'COLUMNS(...) with a pattern: its columns are decided when DuckDB binds it';
      for (const s of scope.rels.filter((r) => !relation || r.alias === relation)) {
        for (const c of s.rel.columns) {
          if (c.name === null || exclude.has(low(c.name)) || (!relation && s.hidden?.has(low(c.name)))) continue;
          out.push({ name: rename.get(low(c.name)) ?? c.name, equals: replaced.has(low(c.name)) ? new Set() : new Set(c.equals) });
        }
      }
      continue;
    }
    collectWindows(item, windows);
    const ref = item.class === 'COLUMN_REF' ? resolve(scope, item) : null;
    const col = { name: str(item.alias) || (item.class === 'COLUMN_REF' ? lastName(item) : null), equals: new Set(ref?.equals ?? []) };
    if (col.name) scope.aliases!.set(low(col.name), col);
    out.push(col);
  }
  const grouped = arr(node.group_expressions).length > 0 || node.aggregate_handling === 'FORCE_AGGREGATES';
  if (!grouped && items.some((i) => i.class !== 'WINDOW' && holdsAggregate(i))) untraceable ??= 'an aggregate over every row of its input (no GROUP BY)';
  let keysOnly: Set<string> | undefined;
  for (const w of windows) {
    const parts = arr(w.partitions).filter(isObj);
    if (!parts.length) {
      untraceable ??= `a window over the whole table (${low(str(w.function_name)) || 'window'}() without PARTITION BY)`;
      continue;
    }
    const keys = new Set(parts.flatMap((p) => [...((p.class === 'COLUMN_REF' ? resolve(scope, p)?.equals : undefined) ?? [])]));
    keysOnly = keysOnly ? new Set([...keysOnly].filter((k) => keys.has(k))) : keys;
    if (!keysOnly.size) untraceable ??= 'windows partitioned by computed values or by different columns';
  }
  return { columns: out, ...(untraceable ? { untraceable } : {}), ...(keysOnly ? { keysOnly } : {}) };
}

function collectWindows(e: Json | undefined, into: Obj[]): void {
  if (Array.isArray(e)) e.forEach((x) => collectWindows(x, into));
  else if (isObj(e)) {
    if (e.class === 'WINDOW') into.push(e);
    else if (e.class !== 'SUBQUERY') Object.values(e).forEach((x) => collectWindows(x, into));
  }
}

/** Binds the FROM clause into `scope`; returns why its rows cannot be traced, if so. */
function from(ref: Json | undefined, inputs: ReadonlyMap<string, IRel>, ctes: Ctes, scope: IScope): string | undefined {
  if (!isObj(ref) || ref.type === 'EMPTY') return undefined;
  const alias = low(str(ref.alias));
  const rename = (rel: IRel) => {
    arr(ref.column_name_alias).forEach((a, i) => {
      if (rel.columns[i]) rel.columns[i]!.name = str(a);
    });
    return rel;
  };
  switch (ref.type) {
    case 'BASE_TABLE': {
      const name = str(ref.table_name);
      const known = ctes.get(low(name)) ?? inputs.get(low(name));
      if (!known) return `table "${name}" is not an input of the node`;
      // A copy: a table read twice (a self join) must not share its columns' equalities.
      const rel = rename(copyRel(known));
      scope.rels.push({ alias: alias || low(name), rel });
      return rel.untraceable;
    }
    case 'SUBQUERY': {
      const rel = rename(query(isObj(ref.subquery) ? ref.subquery.node : null, inputs, ctes));
      scope.rels.push({ alias: alias || null, rel });
      return rel.untraceable;
    }
    case 'JOIN': {
      const left = from(ref.left, inputs, ctes, scope);
      const before = scope.rels.length;
      const right = from(ref.right, inputs, ctes, scope);
      const rightRels = scope.rels.slice(before);
      const leftRels = scope.rels.slice(0, before);
      if (isObj(ref.condition)) equate(ref.condition, scope);
      for (const u of arr(ref.using_columns).map((x) => low(str(x)))) {
        const l = leftRels.flatMap((r) => r.rel.columns.filter((c) => c.name !== null && low(c.name) === u && !r.hidden?.has(u)));
        const r = rightRels.flatMap((s) => s.rel.columns.filter((c) => c.name !== null && low(c.name) === u));
        if (l.length === 1 && r.length === 1) merge(scope, l[0]!, r[0]!);
        for (const s of rightRels) if (s.rel.columns.some((c) => c.name !== null && low(c.name) === u)) (s.hidden ??= new Set()).add(u);
      }
      if (str(ref.join_type) === 'SEMI' || str(ref.join_type) === 'ANTI') scope.rels.splice(before);
      return left ?? right;
    }
    default:
      // VALUES, table functions: columns Weir does not equate with any input's.
      scope.rels.push({ alias: alias || null, rel: { columns: [] } });
      return undefined;
  }
}

/** One set shared by every column equal to either (equality is transitive: `a = b and b = c`). */
function merge(scope: IScope, a: IdentityColumn, b: IdentityColumn): void {
  const old = b.equals;
  if (old === a.equals) return;
  for (const k of old) a.equals.add(k);
  for (const r of scope.rels) for (const c of r.rel.columns) if (c.equals === old) c.equals = a.equals;
  b.equals = a.equals;
}

/** `x = y` between two columns, alone or ANDed with anything: both are the same value on every row that passes. */
function equate(e: Obj, scope: IScope): void {
  if (e.class === 'CONJUNCTION' && e.type === 'CONJUNCTION_AND') {
    for (const c of arr(e.children)) if (isObj(c)) equate(c, scope);
    return;
  }
  if (e.class !== 'COMPARISON' || (e.type !== 'COMPARE_EQUAL' && e.type !== 'COMPARE_NOT_DISTINCT_FROM')) return;
  if (!isObj(e.left) || !isObj(e.right) || e.left.class !== 'COLUMN_REF' || e.right.class !== 'COLUMN_REF') return;
  const a = resolve(scope, e.left);
  const b = resolve(scope, e.right);
  if (a && b && a !== b) merge(scope, a, b);
}

/** The column a reference names in this query's FROM clause (or select-list alias); null when not exactly one. */
function resolve(scope: IScope, ref: Obj): IdentityColumn | null {
  const parts = arr(ref.column_names).map((p) => low(str(p)));
  if (parts.length >= 2) {
    const rel = scope.rels.find((r) => r.alias === parts[0]);
    const hit = rel?.rel.columns.filter((c) => c.name !== null && low(c.name) === parts[1]);
    if (hit?.length === 1) return hit[0]!;
  }
  if (parts.length !== 1) return null;
  const hits = scope.rels.flatMap((r) => (r.hidden?.has(parts[0]!) ? [] : r.rel.columns.filter((c) => c.name !== null && low(c.name) === parts[0])));
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1) return null;
  return scope.aliases?.get(parts[0]!) ?? null;
}
