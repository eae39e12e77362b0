import { jsonPath } from '../../../shared/errors';
import { checkNodes } from '../../../shared/pipeline/parse';
import type { Pipeline, PipelineNode, Position } from '../../../shared/pipeline/schema';
import { deepEqual } from '../../../shared/pipeline/semantic-diff';
import { mergeLines } from './line-merge';

/**
 * A structural three-way merge of a pipeline: nodes matched by id, each field merged on
 * its own, SQL lines and seed rows merged line by line, positions per node. Edits that a
 * line-based merge would report as conflicts only because they sit on neighbouring lines
 * (two people moving neighbouring boxes, both appending a node, a node appended after a
 * parameter that the other person changed) merge cleanly here. A real conflict (both
 * changed the same value differently) is reported, never guessed.
 */

export interface MergeConflict {
  /** Where: `nodes[n2].config.sql`, `params.batch_id`, `layout.n3`... */
  path: string;
  message: string;
}

export interface PipelineMergeResult {
  merged: Pipeline | null;
  conflicts: MergeConflict[];
}

type Conflicts = MergeConflict[];

/** ours === base → theirs; theirs === base → ours; both the same → either; else a conflict. */
function pick<T>(path: string, base: T, ours: T, theirs: T, conflicts: Conflicts): T {
  if (deepEqual(ours, theirs) || deepEqual(theirs, base)) return ours;
  if (deepEqual(ours, base)) return theirs;
  conflicts.push({ path, message: 'changed differently on both sides' });
  return ours;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

const stable = (v: unknown) => JSON.stringify(v);

/** JSON values: objects key by key, arrays element by element (as lines), scalars whole. */
function mergeValue(path: string, base: unknown, ours: unknown, theirs: unknown, conflicts: Conflicts): unknown {
  if (deepEqual(ours, theirs) || deepEqual(theirs, base)) return ours;
  if (deepEqual(ours, base)) return theirs;
  if (isObject(base) && isObject(ours) && isObject(theirs)) {
    const out: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      const v = mergeValue(`${path}.${k}`, base[k], ours[k], theirs[k], conflicts);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(ours) && Array.isArray(theirs)) {
    const strings = [base, ours, theirs].every((a) => a.every((x) => typeof x === 'string'));
    const enc = (a: unknown[]) => (strings ? (a as string[]) : a.map(stable));
    const r = mergeLines(enc(base), enc(ours), enc(theirs));
    if (!r.conflict) return strings ? r.merged : r.merged.map((s) => JSON.parse(s) as unknown);
    conflicts.push({ path, message: 'both sides changed the same lines' });
    return ours;
  }
  conflicts.push({ path, message: 'changed differently on both sides' });
  return ours;
}

function mergeNode(id: string, base: PipelineNode, ours: PipelineNode, theirs: PipelineNode, conflicts: Conflicts): PipelineNode {
  const at = `nodes[${id}]`;
  const node: PipelineNode = {
    id,
    name: pick(`${at}.name`, base.name, ours.name, theirs.name, conflicts),
    kind: pick(`${at}.kind`, base.kind, ours.kind, theirs.kind, conflicts),
    inputs: mergeValue(`${at}.inputs`, base.inputs, ours.inputs, theirs.inputs, conflicts) as string[],
    config: mergeValue(`${at}.config`, base.config, ours.config, theirs.config, conflicts) as Record<string, unknown>,
  };
  const description = pick(`${at}.description`, base.description, ours.description, theirs.description, conflicts);
  return description === undefined ? node : { ...node, description };
}

function mergeNodes(base: Pipeline, ours: Pipeline, theirs: Pipeline, conflicts: Conflicts): PipelineNode[] {
  const b = new Map(base.nodes.map((n) => [n.id, n]));
  const o = new Map(ours.nodes.map((n) => [n.id, n]));
  const t = new Map(theirs.nodes.map((n) => [n.id, n]));
  const merged = new Map<string, PipelineNode>();
  for (const id of new Set([...o.keys(), ...t.keys(), ...b.keys()])) {
    const [nb, no, nt] = [b.get(id), o.get(id), t.get(id)];
    const at = `nodes[${id}]`;
    if (!nb) {
      if (no && nt && !deepEqual(no, nt)) conflicts.push({ path: at, message: 'added on both sides with different content' });
      const added = no ?? nt;
      if (added) merged.set(id, added);
    } else if (!no || !nt) {
      // Deleted on one side: fine if the other side left the node as it was.
      const kept = no ?? nt;
      if (kept && !deepEqual(kept, nb)) conflicts.push({ path: at, message: `deleted on one side and changed on the other` });
    } else {
      merged.set(id, mergeNode(id, nb, no, nt, conflicts));
    }
  }
  // Our order, with their new nodes placed after the node that precedes them on their side
  // (and after any nodes we added there: ours first, then theirs).
  const order = ours.nodes.map((n) => n.id).filter((id) => merged.has(id));
  theirs.nodes.forEach((n, i) => {
    if (order.includes(n.id) || !merged.has(n.id)) return;
    const prev = theirs.nodes.slice(0, i).map((x) => x.id).filter((x) => order.includes(x)).pop();
    let at = prev === undefined ? 0 : order.indexOf(prev) + 1;
    while (at < order.length && !t.has(order[at] as string)) at++;
    order.splice(at, 0, n.id);
  });
  return order.map((id) => merged.get(id) as PipelineNode);
}

function mergeRecord<T>(
  prefix: string,
  base: Record<string, T>,
  ours: Record<string, T>,
  theirs: Record<string, T>,
  conflicts: Conflicts,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of new Set([...Object.keys(ours), ...Object.keys(theirs), ...Object.keys(base)])) {
    const v = pick(`${prefix}.${k}`, base[k], ours[k], theirs[k], conflicts);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function mergePipelines(base: Pipeline | null, ours: Pipeline, theirs: Pipeline): PipelineMergeResult {
  // With no common ancestor (both added the file), only identical content merges.
  const b: Pipeline = base ?? { ...ours, params: {}, nodes: [], layout: {} };
  const conflicts: Conflicts = [];
  const nodes = mergeNodes(b, ours, theirs, conflicts);
  const ids = new Set(nodes.map((n) => n.id));
  const layoutAll = mergeRecord<Position>('layout', b.layout, ours.layout, theirs.layout, conflicts);
  const layout = Object.fromEntries(Object.entries(layoutAll).filter(([id]) => ids.has(id)));
  const merged: Pipeline = {
    format: ours.format,
    version: ours.version,
    name: pick('name', b.name, ours.name, theirs.name, conflicts),
    params: mergeRecord('params', b.params, ours.params, theirs.params, conflicts),
    nodes,
    layout,
  };
  const $schema = pick('$schema', b.$schema, ours.$schema, theirs.$schema, conflicts);
  const description = pick('description', b.description, ours.description, theirs.description, conflicts);
  if ($schema !== undefined) merged.$schema = $schema;
  if (description !== undefined) merged.description = description;
  // Notes and frames merge as one value: either side's change is kept, both changed differently is a conflict.
  const annotations = pick('layout.notes/frames', b.annotations, ours.annotations, theirs.annotations, conflicts);
  if (annotations !== undefined) merged.annotations = annotations;
  if (conflicts.length) return { merged: null, conflicts };
  // Each side was valid; together they may not be (a node deleted that the other wired in,
  // two new nodes with one name, a cycle): that is a conflict for a person to settle.
  const invalid = checkNodes(merged);
  if (invalid.length) {
    return { merged: null, conflicts: invalid.map((i) => ({ path: i.path || jsonPath([]), message: `the merged pipeline would be invalid: ${i.message}` })) };
  }
  return { merged, conflicts: [] };
}
