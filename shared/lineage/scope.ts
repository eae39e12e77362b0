import { addDeps, emptyDeps, unknownDeps, type Deps } from './deps';
import { low, str, type Json } from './parse-tree';

/**
 * The relations a query's names resolve against while the lineage is walked, and the
 * resolution itself, following DuckDB's binding rules (sql-lineage.ts says which).
 */

/** A relation while walking: its columns in order, each with what it reads. `null` names: an unnamed expression. */
export interface Rel {
  columns: { name: string | null; deps: Deps }[];
  /** Its columns cannot be listed (a table function Weir does not know): any reference to it is unknown. */
  opaque?: string;
}

/** A relation as the FROM clause names it. */
export interface ScopeRel {
  alias: string | null;
  rel: Rel;
  /** Columns a USING join hides from `*` and unqualified names (the right side's copy). */
  hidden?: Set<string>;
  /** A USING column's lineage for unqualified names and `*` (a FULL join's is both sides'). */
  merged?: Map<string, Deps>;
}

export interface Scope {
  rels: ScopeRel[];
  /** Select-list aliases of this query, usable from WHERE, GROUP BY, ORDER BY and later items. */
  aliases?: Map<string, Deps>;
  /** Lambda parameters shadow columns. */
  lambda?: Set<string>;
  parent: Scope | null;
}

export type Ctes = ReadonlyMap<string, Rel>;

/** A relation with its first columns renamed (`AS t(a, b)`, `WITH c(a, b) AS`). */
export function renamed(rel: Rel, aliases: Json[]): Rel {
  if (!aliases.length || rel.opaque) return rel;
  return { columns: rel.columns.map((c, i) => (i < aliases.length ? { name: str(aliases[i]), deps: c.deps } : c)) };
}

export function columnOf(s: ScopeRel, name: string): { name: string | null; deps: Deps } | undefined {
  return s.rel.columns.find((c) => c.name !== null && low(c.name) === name);
}

/** The columns `*` and unqualified names see: USING copies hidden, merged values applied. */
export function visibleColumns(s: ScopeRel): { name: string; deps: Deps }[] {
  return s.rel.columns
    .filter((c): c is { name: string; deps: Deps } => c.name !== null && !s.hidden?.has(low(c.name)))
    .map((c) => ({ name: c.name, deps: s.merged?.get(low(c.name)) ?? c.deps }));
}

/** A name in one FROM clause's relations: `t.a` (a table's column) first, then `a` (struct fields after it read `a`). */
export function resolveIn(rels: readonly ScopeRel[], parts: string[]): Deps | null {
  if (!parts.length) return null;
  if (parts.length >= 2) {
    const table = rels.find((r) => r.alias === parts[0]);
    const col = table && columnOf(table, parts[1]!);
    if (col) return col.deps;
  }
  const matches: Deps[] = [];
  for (const r of rels) {
    if (r.hidden?.has(parts[0]!)) continue;
    const col = columnOf(r, parts[0]!);
    if (col) matches.push(r.merged?.get(parts[0]!) ?? col.deps);
  }
  if (matches.length > 1) return unknownDeps(`column "${parts[0]}" is ambiguous`);
  if (matches[0]) return matches[0];
  // A table's name alone is its whole row (a struct of every column): DuckDB tries it after columns.
  const table = parts.length === 1 ? rels.find((r) => r.alias === parts[0] && !r.rel.opaque) : undefined;
  if (!table) return null;
  const row = emptyDeps();
  for (const c of table.rel.columns) addDeps(row, c.deps);
  return row;
}
