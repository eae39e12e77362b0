import { z } from 'zod';
import { canonicalJson } from '../canonical-json';
import { jsonPath, PipelineInvalidError, WeirError } from '../errors';
import { identifier } from '../nodes/common';
import { nodeBase, nodeId, paramSpec, pipelineV1, position, type Pipeline, type PipelineNode } from './schema';
import { partitionsSpec } from './partitions';
import { annotationsSpec } from './annotations';

/**
 * The change from one pipeline document to another, as the designer sends it with a preview
 * (docs/architecture.md, "The warm preview session"): whole nodes put (added, or replacing the
 * node of that id where it stands), ids removed, the node order when it is not what those
 * leave, the top-level fields that changed and the layout entries that moved. Whole nodes and
 * named fields rather than JSON-pointer patches: an edit can only say what a document can
 * hold, every node it brings is checked as a node, and no path it names can reach a
 * prototype or a field the file does not have.
 */
export const docDelta = z.strictObject({
  put: z.array(nodeBase).optional(),
  remove: z.array(nodeId).optional(),
  /** Every node id, in the new order. */
  order: z.array(nodeId).optional(),
  /** Top-level fields with their new value; null removes an optional one. */
  set: z
    .strictObject({
      $schema: z.string().nullable(),
      name: identifier,
      description: z.string().nullable(),
      params: z.record(identifier, paramSpec),
      publish: z.enum(['all', 'partial']).nullable(),
      partitions: partitionsSpec.nullable(),
      annotations: annotationsSpec.nullable(),
    })
    .partial()
    .optional(),
  layout: z
    .strictObject({
      put: z.record(z.string(), position).optional(),
      remove: z.array(z.string()).optional(),
    })
    .optional(),
});
export type DocDelta = z.input<typeof docDelta>;

/** The top-level fields a delta may set (format and version are fixed for a document). */
const TOP_FIELDS = ['$schema', 'name', 'description', 'params', 'publish', 'partitions', 'annotations'] as const;
type TopField = (typeof TOP_FIELDS)[number];

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
const hasDuplicateIds = (nodes: readonly PipelineNode[]) => new Set(nodes.map((n) => n.id)).size !== nodes.length;

/**
 * What turns `from` into `to`; `{}` when they are the same. Null when either document holds
 * two nodes of one id (a delta could not say which): send the whole document then.
 */
export function diffDocs(from: Pipeline, to: Pipeline): DocDelta | null {
  if (hasDuplicateIds(from.nodes) || hasDuplicateIds(to.nodes)) return null;
  const delta: DocDelta = {};
  const before = new Map(from.nodes.map((n) => [n.id, n]));
  const after = new Set(to.nodes.map((n) => n.id));
  const remove = from.nodes.filter((n) => !after.has(n.id)).map((n) => n.id);
  const put = to.nodes.filter((n) => {
    const old = before.get(n.id);
    return !old || !same(old, n);
  });
  if (remove.length) delta.remove = remove;
  if (put.length) delta.put = put;
  // The order applying put and remove leaves: the kept nodes where they were, new ones last.
  const left = [...from.nodes.filter((n) => after.has(n.id)).map((n) => n.id), ...to.nodes.filter((n) => !before.has(n.id)).map((n) => n.id)];
  const order = to.nodes.map((n) => n.id);
  if (!same(left, order)) delta.order = order;
  const set: NonNullable<DocDelta['set']> = {};
  for (const field of TOP_FIELDS) {
    if (same(from[field], to[field])) continue;
    (set as Record<TopField, unknown>)[field] = to[field] ?? null;
  }
  if (Object.keys(set).length) delta.set = set;
  const layoutPut = Object.fromEntries(Object.entries(to.layout).filter(([id, p]) => !same(from.layout[id], p)));
  const layoutRemove = Object.keys(from.layout).filter((id) => !Object.hasOwn(to.layout, id));
  if (Object.keys(layoutPut).length || layoutRemove.length) {
    delta.layout = {};
    if (Object.keys(layoutPut).length) delta.layout.put = layoutPut;
    if (layoutRemove.length) delta.layout.remove = layoutRemove;
  }
  return delta;
}

/** True when the delta changes nothing. */
export function isEmptyDelta(delta: DocDelta): boolean {
  return Object.keys(delta).length === 0;
}

function refuse(message: string): never {
  throw new WeirError('invalid', `the edit was refused: ${message}`);
}

/**
 * `base` with `delta` applied, checked as a whole document is (the pipeline schema), so an
 * edit can make nothing a whole document could not be. A delta that does not fit its base
 * (removes a node it does not have, puts one id twice, an order that is not every node once)
 * is refused with a one-line `invalid` error saying why. `base` is not changed.
 */
export function applyDelta(base: Pipeline, raw: unknown): Pipeline {
  const parsed = docDelta.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    refuse(`${first ? `${jsonPath(first.path) || 'edits'}: ${first.message}` : 'not an edit'}`);
  }
  const delta = parsed.data;
  if (hasDuplicateIds(base.nodes)) refuse('the document it edits holds two nodes of one id');
  const removed = new Set(delta.remove ?? []);
  for (const id of removed) if (!base.nodes.some((n) => n.id === id)) refuse(`there is no node "${id}" to remove`);
  const nodes: PipelineNode[] = base.nodes.filter((n) => !removed.has(n.id));
  const put = new Set<string>();
  for (const node of delta.put ?? []) {
    if (put.has(node.id)) refuse(`node "${node.id}" is put twice`);
    if (removed.has(node.id)) refuse(`node "${node.id}" is both removed and put`);
    put.add(node.id);
    const at = nodes.findIndex((n) => n.id === node.id);
    if (at >= 0) nodes[at] = node;
    else nodes.push(node);
  }
  let ordered = nodes;
  if (delta.order) {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    if (delta.order.length !== nodes.length || new Set(delta.order).size !== delta.order.length || delta.order.some((id) => !byId.has(id))) {
      refuse(`the order does not name each of the ${nodes.length} nodes once`);
    }
    ordered = delta.order.map((id) => byId.get(id)!);
  }
  const doc: Record<string, unknown> = { ...base, nodes: ordered };
  for (const [field, value] of Object.entries(delta.set ?? {})) {
    if (value === null) delete doc[field];
    else doc[field] = value;
  }
  if (delta.layout) {
    const layout = new Map(Object.entries(base.layout));
    for (const id of delta.layout.remove ?? []) layout.delete(id);
    for (const [id, p] of Object.entries(delta.layout.put ?? {})) layout.set(id, p);
    doc.layout = Object.fromEntries(layout);
  }
  const checked = pipelineV1.safeParse(doc);
  if (!checked.success) {
    throw new PipelineInvalidError(
      'the edited pipeline',
      checked.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })),
    );
  }
  return checked.data;
}
