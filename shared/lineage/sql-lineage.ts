import { addDeps, addIndirect, copyDeps, emptyDeps, SEP, unknownDeps, type Deps } from './deps';
import { arr, holdsAggregate, isObj, lastName, low, ONE_COLUMN_TABLE_FUNCTIONS, str, tableFunctionName, type Json, type Obj } from './parse-tree';
import { columnOf, renamed, resolveIn, visibleColumns, type Ctes, type Rel, type Scope, type ScopeRel } from './scope';
import type { ColumnLineage } from './types';

export type { Json } from './parse-tree';

/**
 * Column lineage of one DuckDB query, from DuckDB's own parser output
 * (`SELECT json_serialize_sql(sql)`) and the bound column names of the query's inputs. Pure:
 * the engine runs the parser and DESCRIBEs the inputs; tests may feed recorded trees.
 *
 * The walk follows DuckDB's binding rules where lineage depends on them: a qualified name is
 * a table's column before it is a struct field, an unqualified one is looked for in the FROM
 * clause, then among the select list's aliases, then in the enclosing query; a `USING` column
 * is the left side's (both sides' for a FULL or RIGHT join); set operations line up by position
 * (UNION BY NAME by name). Anything it cannot resolve is carried as an unknown reason, never
 * guessed.
 */

export interface QueryInput {
  /** The name the SQL reads it by (a node's name). */
  name: string;
  columns: readonly string[];
}

export class SqlLineageError extends Error {}

/**
 * The lineage of each column the query outputs, in order. `inputs` are the relations it may
 * read; `bound`, when given, are the output columns as DuckDB bound them (their names win, and
 * a count that differs from the walk's makes every column unknown rather than misaligned).
 */
export function queryLineage(tree: Json, inputs: readonly QueryInput[], bound?: readonly string[]): ColumnLineage[] {
  if (!isObj(tree) || tree.error === true) {
    const why = isObj(tree) ? str(tree.error_message) || 'cannot be parsed' : 'cannot be parsed';
    return (bound ?? []).map((name) => toLineage(name, unknownDeps(`the SQL ${why}`)));
  }
  const statements = arr(tree.statements);
  const first = statements[0];
  if (statements.length !== 1 || !isObj(first) || !isObj(first.node)) {
    return (bound ?? []).map((name) => toLineage(name, unknownDeps('the SQL is not exactly one query')));
  }
  const byName = new Map<string, Rel>();
  for (const input of inputs) {
    byName.set(low(input.name), { columns: input.columns.map((c) => ({ name: c, deps: inputDeps(input.name, c) })) });
  }
  const walker = new Walker(byName);
  const rel = walker.query(first.node, null, new Map());
  const names = bound ?? rel.columns.map((c, i) => c.name ?? `column${i}`);
  if (rel.opaque || rel.columns.length !== names.length) {
    const why = rel.opaque ?? `the query's columns (${rel.columns.length}) could not be lined up with DuckDB's (${names.length})`;
    return names.map((name) => toLineage(name, unknownDeps(why)));
  }
  return rel.columns.map((c, i) => toLineage(names[i]!, c.deps));
}

function inputDeps(node: string, column: string): Deps {
  const d = emptyDeps();
  d.direct.add(`${node}${SEP}${column}`);
  return d;
}

function toLineage(name: string, d: Deps): ColumnLineage {
  const split = (k: string) => {
    const at = k.indexOf(SEP);
    return { node: k.slice(0, at), column: k.slice(at + 1) };
  };
  // A column read both ways is listed as direct only: its value flows, which says more.
  const indirect = [...d.indirect].filter((k) => !d.direct.has(k));
  return { name, direct: [...d.direct].map(split), indirect: indirect.map(split), unknown: [...d.unknown] };
}

class Walker {
  constructor(private readonly inputs: ReadonlyMap<string, Rel>) {}

  /** A query node: SELECT, a set operation, or a recursive CTE. */
  query(node: Json | undefined, parent: Scope | null, outerCtes: Ctes): Rel {
    if (!isObj(node)) return { columns: [], opaque: 'a query the parser gave no tree for' };
    const ctes = this.ctes(node, parent, outerCtes);
    switch (node.type) {
      case 'SELECT_NODE':
        return this.select(node, parent, ctes);
      case 'SET_OPERATION_NODE':
        return this.setOperation(node, parent, ctes);
      case 'RECURSIVE_CTE_NODE':
        return { columns: [], opaque: 'a recursive CTE (its rows feed themselves)' };
      default:
        return { columns: [], opaque: `a ${str(node.type).toLowerCase() || 'query'} Weir does not analyse` };
    }
  }

  /** WITH: each CTE sees the ones before it (chained) and those of enclosing queries. */
  private ctes(node: Obj, parent: Scope | null, outer: Ctes): Ctes {
    const map = isObj(node.cte_map) ? arr(node.cte_map.map) : [];
    if (!map.length) return outer;
    const ctes = new Map(outer);
    for (const entry of map) {
      if (!isObj(entry) || !isObj(entry.value)) continue;
      const q = entry.value.query;
      let rel = this.query(isObj(q) ? q.node : null, parent, ctes);
      rel = renamed(rel, arr(entry.value.aliases));
      ctes.set(low(str(entry.key)), rel);
    }
    return ctes;
  }

  private select(node: Obj, parent: Scope | null, ctes: Ctes): Rel {
    const row = emptyDeps();
    const rels = this.from(node.from_table, parent, ctes, row);
    const scope: Scope = { rels, aliases: new Map(), parent };
    const out: Rel['columns'] = [];
    let opaque: string | undefined;
    for (const item of arr(node.select_list)) {
      if (!isObj(item)) continue;
      if (item.class === 'STAR') {
        const cols = this.star(item, scope);
        if ('opaque' in cols) opaque ??= cols.opaque;
        else out.push(...cols.columns);
        continue;
      }
      const d = this.expr(item, scope);
      const name = str(item.alias) || (item.class === 'COLUMN_REF' ? lastName(item) : null);
      if (name) scope.aliases!.set(low(name), d);
      out.push({ name, deps: d });
    }
    if (isObj(node.where_clause)) addIndirect(row, this.expr(node.where_clause, scope));
    const groups = arr(node.group_expressions);
    for (const g of groups) addIndirect(row, this.positional(g, out, scope));
    if (!groups.length && node.aggregate_handling === 'FORCE_AGGREGATES') {
      // GROUP BY ALL: the keys are the select items that hold no aggregate.
      const items = arr(node.select_list);
      items.forEach((item, i) => {
        if (isObj(item) && !holdsAggregate(item) && out[i]) addIndirect(row, out[i]!.deps);
      });
    }
    if (isObj(node.having)) addIndirect(row, this.expr(node.having, scope));
    if (isObj(node.qualify)) addIndirect(row, this.expr(node.qualify, scope));
    this.modifiers(node, out, scope, row);
    if (opaque) return { columns: [], opaque };
    for (const c of out) addIndirect(c.deps, row);
    return { columns: out };
  }

  /** DISTINCT ON and ORDER BY with LIMIT decide which rows remain; ORDER BY alone only orders them. */
  private modifiers(node: Obj, out: Rel['columns'], scope: Scope, row: Deps): void {
    const mods = arr(node.modifiers).filter(isObj);
    const limited = mods.some((m) => m.type === 'LIMIT_MODIFIER' || m.type === 'LIMIT_PERCENT_MODIFIER');
    for (const m of mods) {
      if (m.type === 'DISTINCT_MODIFIER') for (const t of arr(m.distinct_on_targets)) addIndirect(row, this.positional(t, out, scope));
      if (m.type === 'ORDER_MODIFIER' && limited) {
        for (const o of arr(m.orders)) if (isObj(o)) addIndirect(row, this.positional(o.expression, out, scope));
      }
      if (m.type === 'LIMIT_MODIFIER' || m.type === 'LIMIT_PERCENT_MODIFIER') {
        for (const k of ['limit', 'offset']) if (isObj(m[k])) addIndirect(row, this.expr(m[k], scope));
      }
    }
  }

  /** A GROUP BY / ORDER BY / DISTINCT ON item: `1` is the first output column, `ALL` every one. */
  private positional(e: Json | undefined, out: Rel['columns'], scope: Scope): Deps {
    if (!isObj(e)) return emptyDeps();
    if (e.class === 'CONSTANT' && isObj(e.value) && typeof e.value.value === 'number' && Number.isInteger(e.value.value)) {
      const c = out[e.value.value - 1];
      return c ? c.deps : unknownDeps(`position ${e.value.value} is not a column of the select list`);
    }
    if (e.class === 'STAR' && e.columns === true && !isObj(e.expr)) {
      const all = emptyDeps();
      for (const c of out) addDeps(all, c.deps);
      return all;
    }
    return this.expr(e, scope);
  }

  private setOperation(node: Obj, parent: Scope | null, ctes: Ctes): Rel {
    const left = this.query(node.left, parent, ctes);
    const right = this.query(node.right, parent, ctes);
    if (left.opaque || right.opaque) return { columns: [], opaque: left.opaque ?? right.opaque };
    const kind = str(node.setop_type);
    let out: Rel['columns'];
    if (kind === 'UNION_BY_NAME') {
      out = left.columns.map((c) => ({ name: c.name, deps: copyDeps(c.deps) }));
      for (const c of right.columns) {
        const same = out.find((o) => o.name !== null && c.name !== null && low(o.name) === low(c.name));
        if (same) addDeps(same.deps, c.deps);
        else out.push({ name: c.name, deps: copyDeps(c.deps) });
      }
    } else if (left.columns.length !== right.columns.length) {
      return { columns: [], opaque: `the two sides of ${kind} have ${left.columns.length} and ${right.columns.length} columns` };
    } else if (kind === 'UNION') {
      out = left.columns.map((c, i) => ({ name: c.name, deps: addDeps(copyDeps(c.deps), right.columns[i]!.deps) }));
    } else {
      // EXCEPT / INTERSECT: the values are the left side's; the right side decides which rows remain.
      const decides = emptyDeps();
      for (const c of right.columns) addIndirect(decides, c.deps);
      out = left.columns.map((c) => ({ name: c.name, deps: addIndirect(copyDeps(c.deps), decides) }));
    }
    const row = emptyDeps();
    const scope: Scope = { rels: [{ alias: null, rel: { columns: out } }], parent };
    this.modifiers(node, out, scope, row);
    for (const c of out) addIndirect(c.deps, row);
    return { columns: out };
  }

  /** The relations of a FROM clause; join conditions add to `row` (they decide which rows). */
  private from(ref: Json | undefined, parent: Scope | null, ctes: Ctes, row: Deps): ScopeRel[] {
    if (!isObj(ref) || ref.type === 'EMPTY') return [];
    const alias = str(ref.alias);
    switch (ref.type) {
      case 'BASE_TABLE': {
        const name = str(ref.table_name);
        const known = ctes.get(low(name)) ?? (str(ref.schema_name) || str(ref.catalog_name) ? undefined : this.inputs.get(low(name)));
        const rel = known ?? { columns: [], opaque: `table "${name}" is not an input of the node` };
        return [{ alias: low(alias || name), rel: renamed(rel, arr(ref.column_name_alias)) }];
      }
      case 'SUBQUERY': {
        const q = isObj(ref.subquery) ? ref.subquery.node : null;
        return [{ alias: alias ? low(alias) : null, rel: renamed(this.query(q, parent, ctes), arr(ref.column_name_alias)) }];
      }
      case 'JOIN':
        return this.join(ref, parent, ctes, row);
      case 'TABLE_FUNCTION':
        return [{ alias: low(alias || tableFunctionName(ref)), rel: this.tableFunction(ref, parent) }];
      case 'EXPRESSION_LIST': {
        const scope: Scope = { rels: [], parent };
        const columns: Rel['columns'] = [];
        for (const values of arr(ref.values)) {
          arr(values).forEach((v, i) => {
            const d = this.expr(v, scope);
            if (columns[i]) addDeps(columns[i]!.deps, d);
            else columns[i] = { name: `col${i}`, deps: d };
          });
        }
        return [{ alias: low(alias || 'valueslist'), rel: renamed({ columns }, arr(ref.column_name_alias)) }];
      }
      default:
        return [{ alias: alias ? low(alias) : null, rel: { columns: [], opaque: `a ${low(str(ref.type)) || 'table'} in FROM Weir does not analyse` } }];
    }
  }

  private join(ref: Obj, parent: Scope | null, ctes: Ctes, row: Deps): ScopeRel[] {
    const left = this.from(ref.left, parent, ctes, row);
    // A subquery or table function on the right may read the left side (DuckDB joins laterally).
    const right = this.from(ref.right, { rels: left, parent }, ctes, row);
    const both: Scope = { rels: [...left, ...right], parent };
    if (isObj(ref.condition)) addIndirect(row, this.expr(ref.condition, both));
    let using = arr(ref.using_columns).map(str);
    if (ref.ref_type === 'NATURAL') {
      const names = (rels: ScopeRel[]) => new Set(rels.flatMap((r) => visibleColumns(r).map((c) => low(c.name))));
      const r = names(right);
      using = [...names(left)].filter((n) => r.has(n));
    }
    const type = str(ref.join_type);
    for (const u of using) {
      const l = resolveIn(left, [low(u)]);
      const r = resolveIn(right, [low(u)]);
      const missing = (side: ScopeRel[], which: string) => unknownDeps(side.find((s) => s.rel.opaque)?.rel.opaque ?? `USING column "${u}" is not on the ${which} side`);
      addIndirect(row, l ?? missing(left, 'left'));
      addIndirect(row, r ?? missing(right, 'right'));
      // The right side's copy is hidden; a FULL or RIGHT join's value may come from either side.
      for (const s of right) if (columnOf(s, low(u))) (s.hidden ??= new Set()).add(low(u));
      if ((type === 'OUTER' || type === 'FULL' || type === 'RIGHT') && l && r) {
        const owner = left.find((s) => columnOf(s, low(u)) && !s.hidden?.has(low(u)));
        if (owner) (owner.merged ??= new Map()).set(low(u), addDeps(copyDeps(l), r));
      }
    }
    // SEMI and ANTI joins keep only the left side's columns.
    return type === 'SEMI' || type === 'ANTI' ? left : [...left, ...right];
  }

  private tableFunction(ref: Obj, parent: Scope | null): Rel {
    const fn = isObj(ref.function) ? ref.function : null;
    const name = tableFunctionName(ref);
    const aliases = arr(ref.column_name_alias).map(str);
    if (!fn || !ONE_COLUMN_TABLE_FUNCTIONS.has(low(name))) {
      return { columns: [], opaque: `table function ${name}(): its columns are not known to Weir` };
    }
    const d = emptyDeps();
    for (const c of arr(fn.children)) addDeps(d, this.expr(c, { rels: [], parent }));
    return { columns: [{ name: aliases[0] ?? low(name), deps: d }] };
  }

  /** `*`, `t.*`, `COLUMNS(*)`, with EXCLUDE / REPLACE / RENAME; `COLUMNS('regex')` is not expanded (unknown). */
  private star(item: Obj, scope: Scope): { columns: Rel['columns'] } | { opaque: string } {
    if (item.columns === true && isObj(item.expr)) return { opaque: 'COLUMNS(...) with a pattern or lambda: which columns it selects is decided when DuckDB binds it' };
    const relation = low(str(item.relation_name));
    const rels = relation ? scope.rels.filter((r) => r.alias === relation) : scope.rels;
    if (relation && !rels.length) return { opaque: `${str(item.relation_name)}.* names no table of the FROM clause` };
    const exclude = new Set(arr(item.exclude_list).map((e) => low(isObj(e) ? str(e.column) : str(e))));
    const replace = new Map<string, Json>();
    for (const r of arr(item.replace_list)) if (isObj(r)) replace.set(low(str(r.key)), r.value ?? null);
    const rename = new Map<string, string>();
    for (const r of arr(item.rename_list)) if (isObj(r) && isObj(r.key)) rename.set(low(str(r.key.column)), str(r.value));
    const out: Rel['columns'] = [];
    for (const s of rels) {
      if (s.rel.opaque) return { opaque: s.rel.opaque };
      for (const c of relation ? s.rel.columns.map((x) => ({ name: x.name ?? '', deps: x.deps })) : visibleColumns(s)) {
        const key = low(c.name);
        if (exclude.has(key)) continue;
        const replaced = replace.get(key);
        const deps = replaced !== undefined ? this.expr(replaced, scope) : copyDeps(c.deps);
        out.push({ name: rename.get(key) ?? c.name, deps });
      }
    }
    return { columns: out };
  }

  /** What an expression reads: direct where its value flows, indirect where it only decides. */
  expr(e: Json | undefined, scope: Scope): Deps {
    if (!isObj(e)) return emptyDeps();
    switch (e.class) {
      case 'CONSTANT':
      case 'PARAMETER':
      case 'DEFAULT':
        return emptyDeps();
      case 'COLUMN_REF':
        return this.columnRef(e, scope);
      case 'SUBQUERY':
        return this.subquery(e, scope);
      case 'WINDOW': {
        const d = emptyDeps();
        for (const c of arr(e.children)) addDeps(d, this.expr(c, scope));
        for (const k of ['offset_expr', 'default_expr']) addDeps(d, this.expr(e[k] ?? null, scope));
        for (const p of arr(e.partitions)) addIndirect(d, this.expr(p, scope));
        for (const o of [...arr(e.orders), ...arr(e.arg_orders)]) if (isObj(o)) addIndirect(d, this.expr(o.expression, scope));
        for (const k of ['filter_expr', 'start_expr', 'end_expr']) addIndirect(d, this.expr(e[k] ?? null, scope));
        return d;
      }
      case 'FUNCTION': {
        const d = emptyDeps();
        const name = low(str(e.function_name));
        const children = arr(e.children);
        children.forEach((c, i) => {
          // if(cond, a, b) decides between a and b with cond: a CASE in a function's clothes.
          if (i === 0 && (name === 'if' || name === 'iif') && children.length === 3) addIndirect(d, this.expr(c, scope));
          else addDeps(d, this.expr(c, scope));
        });
        if (isObj(e.filter)) addIndirect(d, this.expr(e.filter, scope));
        if (isObj(e.order_bys)) for (const o of arr(e.order_bys.orders)) if (isObj(o)) addIndirect(d, this.expr(o.expression, scope));
        return d;
      }
      case 'CASE': {
        const d = emptyDeps();
        for (const c of arr(e.case_checks)) {
          if (!isObj(c)) continue;
          addIndirect(d, this.expr(c.when_expr, scope));
          addDeps(d, this.expr(c.then_expr, scope));
        }
        addDeps(d, this.expr(e.else_expr ?? null, scope));
        return d;
      }
      case 'LAMBDA': {
        const params = new Set<string>();
        const lhs = e.lhs;
        const collect = (x: Json | undefined) => {
          if (!isObj(x)) return;
          if (x.class === 'COLUMN_REF') params.add(low(lastName(x) ?? ''));
          for (const c of arr(x.children)) collect(c);
        };
        collect(lhs ?? null);
        return this.expr(e.expr ?? null, { rels: [], lambda: params, parent: scope });
      }
      case 'STAR':
        return unknownDeps('COLUMNS(...) inside an expression: which columns it reads is decided when DuckDB binds it');
      case 'POSITIONAL_REFERENCE':
        return unknownDeps('a positional reference (#n) is not resolved by Weir');
      default:
        return this.children(e, scope);
    }
  }

  /** Any other expression (operators, casts, comparisons, BETWEEN, COLLATE...): every part of it flows. */
  private children(e: Obj, scope: Scope): Deps {
    const d = emptyDeps();
    const visit = (v: Json | undefined) => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (isObj(v)) {
        if (typeof v.class === 'string') addDeps(d, this.expr(v, scope));
        else Object.values(v).forEach(visit);
      }
    };
    for (const [k, v] of Object.entries(e)) if (k !== 'query_location' && k !== 'alias') visit(v);
    return d;
  }

  private subquery(e: Obj, scope: Scope): Deps {
    const rel = this.query(isObj(e.subquery) ? e.subquery.node : null, scope, new Map());
    if (rel.opaque) return unknownDeps(rel.opaque);
    const type = str(e.subquery_type);
    const d = emptyDeps();
    if (type === 'SCALAR') {
      // Its one column's value flows; what it filters on was folded into that column already.
      if (rel.columns[0]) addDeps(d, rel.columns[0].deps);
      return d;
    }
    // IN / ANY / ALL / EXISTS: a yes or no decided by the subquery's rows.
    addDeps(d, this.expr(e.child ?? null, scope));
    for (const c of rel.columns) addIndirect(d, c.deps);
    return d;
  }

  private columnRef(e: Obj, scope: Scope): Deps {
    const parts = arr(e.column_names).map((p) => low(str(p)));
    for (let s: Scope | null = scope; s; s = s.parent) {
      if (s.lambda && parts.length && s.lambda.has(parts[0]!)) return emptyDeps();
      const hit = resolveIn(s.rels, parts);
      if (hit) return copyDeps(hit);
      if (parts.length === 1 && s.aliases?.has(parts[0]!)) return copyDeps(s.aliases.get(parts[0]!)!);
      const opaque = s.rels.find((r) => r.rel.opaque && (parts.length === 1 || r.alias === parts[0]));
      if (opaque) return unknownDeps(opaque.rel.opaque!);
    }
    return unknownDeps(`column "${arr(e.column_names).map(str).join('.')}" is not a column of the query's inputs`);
  }
}
