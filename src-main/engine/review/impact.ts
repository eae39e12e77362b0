import type { DuckDBConnection } from '@duckdb/node-api';
import { canonicalJson } from '../../../shared/canonical-json';
import { fieldRolesOf } from '../../../shared/nodes/registry';
import { mapRoleFields, roleFields, sqlTextOf, type FieldRole } from '../../../shared/nodes/field-roles';
import { downstreamOfAll, topoOrder } from '../../../shared/pipeline/graph';
import { sqlShapeChange, withoutLocations } from '../../../shared/review/sql-shape';
import { literal } from '../duckdb/sql';
import type { ParamValue } from '../run/params';
import type { PlannedNode } from '../run/plan';

/** A node changed by the change itself (not only through its inputs), and what the change can do. */
export interface DirectChange {
  id: string;
  change: 'direct' | 'added' | 'removed';
  /** Its rows or existing columns may differ; false: only added columns, or nothing a row holds (a check's rules, a sink's target). */
  rowsMayChange: boolean;
  reasons: string[];
}

export interface Impact {
  direct: Map<string, DirectChange>;
  /** Ids of nodes downstream of a direct change (not direct themselves), in head. */
  downstream: Set<string>;
}

const isSql = (r: FieldRole) => r.type === 'sql';

/** DuckDB's parse tree of a SQL field, positions removed; the text when it does not parse. */
async function parseTree(conn: DuckDBConnection, text: string, form: 'query' | 'expression'): Promise<unknown> {
  const sql = form === 'expression' ? `SELECT ${text}` : text;
  try {
    const reader = await conn.runAndReadAll(`SELECT json_serialize_sql(${literal(sql)}) AS j`);
    const parsed = JSON.parse(String(reader.getRowObjectsJS()[0]?.j)) as { error?: boolean };
    return parsed.error ? { text } : withoutLocations(parsed);
  } catch {
    return { text };
  }
}

/** The node's config with every DuckDB SQL field replaced by its parse tree, and the trees by field. */
async function normalized(conn: DuckDBConnection, p: PlannedNode): Promise<{ config: unknown; trees: Map<string, unknown> }> {
  const roles = fieldRolesOf(p.node.kind);
  const trees = new Map<string, unknown>();
  for (const f of roleFields(roles, p.ctx.config, isSql)) {
    const text = sqlTextOf(f.value);
    if (text === null || f.role.type !== 'sql') continue;
    trees.set(f.path.join('.'), await parseTree(conn, text, f.role.form));
  }
  const byValue = new Map<string, unknown>();
  for (const f of roleFields(roles, p.ctx.config, isSql)) byValue.set(canonicalJson(f.value), trees.get(f.path.join('.')));
  const config = mapRoleFields(roles, p.ctx.config, isSql, (v) => ({ sqlTree: byValue.get(canonicalJson(v)) ?? v }));
  return { config, trees };
}

function paramsReadBy(p: PlannedNode, params: Record<string, ParamValue>): Record<string, ParamValue> {
  const used = p.guard?.variables;
  if (used === null || used === undefined) return params;
  return Object.fromEntries(used.filter((n) => n in params).map((n) => [n, params[n]!]));
}

const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));

/**
 * What changed between the two plans (both guarded by the sandbox, so each node knows the
 * parameters it reads), by node id: decided from parse trees, config values and parameter
 * values, never from text. Layout and descriptions are no change at all.
 */
export async function findImpact(
  conn: DuckDBConnection,
  base: { nodes: PlannedNode[]; params: Record<string, ParamValue> },
  head: { nodes: PlannedNode[]; params: Record<string, ParamValue> },
): Promise<Impact> {
  const baseById = new Map(base.nodes.map((p) => [p.node.id, p]));
  const headById = new Map(head.nodes.map((p) => [p.node.id, p]));
  const direct = new Map<string, DirectChange>();
  for (const h of head.nodes) {
    const b = baseById.get(h.node.id);
    if (!b) {
      direct.set(h.node.id, { id: h.node.id, change: 'added', rowsMayChange: true, reasons: ['node added'] });
      continue;
    }
    const reasons: string[] = [];
    let rowsMayChange = false;
    const passThrough = h.compiled.relation === 'none' || h.node.kind === 'check';
    const say = (reason: string, rows: boolean) => {
      reasons.push(reason);
      if (rows) rowsMayChange = true;
    };
    if (b.node.kind !== h.node.kind) say(`kind changed: ${b.node.kind} → ${h.node.kind}`, true);
    if (b.node.name !== h.node.name) say(`renamed: ${b.node.name} → ${h.node.name}`, false);
    if (canonicalJson(b.node.inputs) !== canonicalJson(h.node.inputs)) say('inputs rewired', !passThrough || h.node.kind === 'check');
    // Most nodes' configs are equal as written: only those that differ are parsed.
    const nb = canonicalJson(b.ctx.config) === canonicalJson(h.ctx.config) ? null : await normalized(conn, b);
    const nh = nb ? await normalized(conn, h) : null;
    if (nb && nh && canonicalJson(nb.config) !== canonicalJson(nh.config)) {
      const fields = new Set([...nb.trees.keys(), ...nh.trees.keys()]);
      for (const f of fields) {
        const shape = sqlShapeChange(nb.trees.get(f) ?? null, nh.trees.get(f) ?? null);
        if (shape === 'same') continue;
        if (passThrough) say(h.node.kind === 'check' ? `check rule SQL changed (${f})` : `SQL changed (${f})`, false);
        else if (shape === 'added_columns' && f === 'sql') say('columns added to the select list', false);
        else say(`SQL changed (${f}): rows may change`, true);
      }
      // Config values other than SQL fields (the trees compared above stand in for them here).
      const strip = (c: unknown) => canonicalJson(mapRoleFields(fieldRolesOf(h.node.kind), c, isSql, () => null));
      if (strip(nb.config) !== strip(nh.config)) {
        if (h.node.kind === 'check') say('check rules changed', false);
        else if (h.compiled.relation === 'none') say('sink settings changed', false);
        else say('config changed: rows may change', true);
      }
    }
    const pb = paramsReadBy(b, base.params);
    const ph = paramsReadBy(h, head.params);
    for (const name of [...new Set([...Object.keys(pb), ...Object.keys(ph)])].sort()) {
      if (canonicalJson(pb[name] ?? null) !== canonicalJson(ph[name] ?? null)) say(`parameter ${name}: ${show(pb[name])} → ${show(ph[name])}`, !passThrough);
    }
    if (reasons.length) direct.set(h.node.id, { id: h.node.id, change: 'direct', rowsMayChange, reasons });
  }
  for (const b of base.nodes) {
    if (!headById.has(b.node.id)) direct.set(b.node.id, { id: b.node.id, change: 'removed', rowsMayChange: true, reasons: ['node removed'] });
  }
  const headNodes = topoOrder(head.nodes.map((p) => p.node));
  const downstream = downstreamOfAll(headNodes, [...direct.keys()].filter((id) => headById.has(id)));
  for (const id of direct.keys()) downstream.delete(id);
  return { direct, downstream };
}
