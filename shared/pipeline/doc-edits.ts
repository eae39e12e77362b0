import { nodeKindSpec } from '../nodes/registry';
import { ANNOTATION_KEYS } from './annotations';
import { findCycle } from './graph';
import { renameReferences } from './rename';
import type { Pipeline, PipelineNode, Position } from './schema';

/**
 * Edits of a pipeline document as pure functions: each takes a pipeline and returns a new
 * one (untouched nodes keep their objects), so undo is a stack of snapshots and the
 * canvas re-renders only what changed. No UI here: the designer, the CLI and the merge
 * driver may all make the same edits.
 */

export type EditResult = { ok: true; pipeline: Pipeline } | { ok: false; message: string };

export interface EdgeRef {
  source: string;
  target: string;
}

export const edgeId = (e: EdgeRef) => `${e.source}->${e.target}`;
export function parseEdgeId(id: string): EdgeRef | null {
  const i = id.indexOf('->');
  return i > 0 ? { source: id.slice(0, i), target: id.slice(i + 2) } : null;
}

export function emptyPipeline(name: string): Pipeline {
  return { format: 'weir.pipeline', version: 1, name, params: {}, nodes: [], layout: {} };
}

/** A readable starting name for a kind: `sql_1`, `file_1`, `file_out_1`. */
export function baseName(kind: string): string {
  if (kind.endsWith('_source')) return kind.slice(0, -'_source'.length);
  if (kind.endsWith('_sink')) return `${kind.slice(0, -'_sink'.length)}_out`;
  return kind;
}

/** `stem_1`, `stem_2`… — the first not taken (names compare case-insensitively, as in DuckDB). */
export function uniqueName(p: Pipeline, stem: string, taken: ReadonlySet<string> = new Set()): string {
  const used = new Set([...p.nodes.map((n) => n.name), ...taken].map((t) => t.toLowerCase()));
  const base = stem.slice(0, 56);
  for (let i = 1; ; i++) {
    const candidate = `${base}_${i}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/** Ids never change once made; the first name is a readable one. */
export function uniqueId(p: Pipeline, wanted: string, taken: Set<string> = new Set()): string {
  // "notes" and "frames" are keys of the file's layout section (annotations.ts), never node ids
  const used = new Set([...p.nodes.map((n) => n.id), ...taken, ...ANNOTATION_KEYS]);
  const clean = wanted.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 56) || 'node';
  if (!used.has(clean)) return clean;
  for (let i = 2; ; i++) if (!used.has(`${clean}-${i}`)) return `${clean}-${i}`;
}

export function addNode(p: Pipeline, kind: string, position: Position): { pipeline: Pipeline; id: string } {
  const spec = nodeKindSpec(kind);
  if (!spec) throw new Error(`unknown node kind "${kind}"`);
  const name = uniqueName(p, baseName(kind));
  const id = uniqueId(p, name);
  const node: PipelineNode = { id, name, kind, inputs: [], config: spec.defaults() };
  return { pipeline: { ...p, nodes: [...p.nodes, node], layout: { ...p.layout, [id]: roundPos(position) } }, id };
}

const roundPos = (pos: Position): Position => ({ x: Math.round(pos.x), y: Math.round(pos.y) });

const DEFAULT_SQL_INPUT = /^\s*from\s+input\s*$/i;

/** A new SQL node says `from input`; its first input's name is what it meant. */
function adoptFirstInput(node: PipelineNode, sourceName: string): PipelineNode {
  const sql = node.config.sql;
  if (node.kind !== 'sql' || node.inputs.length !== 0 || !Array.isArray(sql)) return node;
  const lines = sql as unknown[];
  if (!lines.some((l) => typeof l === 'string' && DEFAULT_SQL_INPUT.test(l))) return node;
  return { ...node, config: { ...node.config, sql: lines.map((l) => (typeof l === 'string' && DEFAULT_SQL_INPUT.test(l) ? l.replace(/input\s*$/i, sourceName) : l)) } };
}

/** Adds the edge source → target, or says in one line why it cannot be. */
export function connect(p: Pipeline, e: EdgeRef): EditResult {
  const source = p.nodes.find((n) => n.id === e.source);
  const target = p.nodes.find((n) => n.id === e.target);
  if (!source || !target) return { ok: false, message: 'That node no longer exists.' };
  if (source.id === target.id) return { ok: false, message: `A node cannot read its own output.` };
  const sourceSpec = nodeKindSpec(source.kind);
  const targetSpec = nodeKindSpec(target.kind);
  if (sourceSpec?.category === 'sink') return { ok: false, message: `"${source.name}" is an output: it has nothing to pass on.` };
  if (targetSpec && targetSpec.inputs.max === 0) return { ok: false, message: `"${target.name}" is a source: it takes no inputs.` };
  if (target.inputs.includes(source.id)) return { ok: false, message: `"${target.name}" already reads "${source.name}".` };
  if (targetSpec && target.inputs.length >= targetSpec.inputs.max) {
    const max = targetSpec.inputs.max;
    return { ok: false, message: `"${target.name}" takes ${max === 1 ? 'one input' : `at most ${max} inputs`}; remove one first.` };
  }
  const nodes = p.nodes.map((n) => (n.id === target.id ? { ...adoptFirstInput(n, source.name), inputs: [...n.inputs, source.id] } : n));
  const cycle = findCycle(nodes);
  if (cycle) return { ok: false, message: `Not connected: that edge would make a cycle (${cycle.join(' → ')}).` };
  return { ok: true, pipeline: { ...p, nodes } };
}

export function disconnect(p: Pipeline, edges: readonly EdgeRef[]): Pipeline {
  if (!edges.length) return p;
  const drop = new Set(edges.map(edgeId));
  return {
    ...p,
    nodes: p.nodes.map((n) => {
      const inputs = n.inputs.filter((i) => !drop.has(edgeId({ source: i, target: n.id })));
      return inputs.length === n.inputs.length ? n : { ...n, inputs };
    }),
  };
}

/** Removes nodes, the edges to and from them, and their layout entries. */
export function deleteNodes(p: Pipeline, ids: readonly string[]): Pipeline {
  if (!ids.length) return p;
  const drop = new Set(ids);
  const layout = { ...p.layout };
  for (const id of drop) delete layout[id];
  return {
    ...p,
    nodes: p.nodes
      .filter((n) => !drop.has(n.id))
      .map((n) => (n.inputs.some((i) => drop.has(i)) ? { ...n, inputs: n.inputs.filter((i) => !drop.has(i)) } : n)),
    layout,
  };
}

export function moveNodes(p: Pipeline, positions: Readonly<Record<string, Position>>): Pipeline {
  const ids = new Set(p.nodes.map((n) => n.id));
  const entries = Object.entries(positions).filter(([id]) => ids.has(id));
  if (!entries.length) return p;
  const layout = { ...p.layout };
  // A move keeps the chart saved on the node.
  for (const [id, pos] of entries) layout[id] = { ...layout[id], x: pos.x, y: pos.y };
  return { ...p, layout };
}

export function updateNode(p: Pipeline, id: string, patch: Partial<Pick<PipelineNode, 'config' | 'description'>>): Pipeline {
  return {
    ...p,
    nodes: p.nodes.map((n) => {
      if (n.id !== id) return n;
      const next = { ...n, ...patch };
      if ('description' in patch && !patch.description) delete next.description;
      return next;
    }),
  };
}

/** What Copy puts on the clipboard: the nodes, their edges among themselves, and their places. */
export interface Clipboard {
  format: 'weir.clipboard';
  nodes: PipelineNode[];
  layout: Record<string, Position>;
}

export function copyNodes(p: Pipeline, ids: readonly string[]): Clipboard | null {
  const pick = new Set(ids);
  const nodes = p.nodes.filter((n) => pick.has(n.id)).map((n) => ({ ...n, inputs: n.inputs.filter((i) => pick.has(i)) }));
  if (!nodes.length) return null;
  const layout: Record<string, Position> = {};
  for (const n of nodes) layout[n.id] = p.layout[n.id] ?? { x: 0, y: 0 };
  return { format: 'weir.clipboard', nodes, layout };
}

export function parseClipboard(text: string): Clipboard | null {
  try {
    const c = JSON.parse(text) as Clipboard;
    return c && c.format === 'weir.clipboard' && Array.isArray(c.nodes) ? c : null;
  } catch {
    return null;
  }
}

/**
 * Pastes copies with fresh ids and names; edges among the copies are kept, and their SQL and
 * node-name fields follow the new names of the copies they read.
 */
export function pasteNodes(p: Pipeline, clip: Clipboard, offset: Position): { pipeline: Pipeline; ids: string[] } {
  const newIds = new Map<string, string>();
  const newNames = new Map<string, string>();
  const takenIds = new Set<string>();
  const takenNames = new Set<string>();
  for (const n of clip.nodes) {
    if (!nodeKindSpec(n.kind)) continue;
    const name = uniqueName(p, n.name.replace(/_\d+$/, ''), takenNames);
    const id = uniqueId(p, name, takenIds);
    takenNames.add(name);
    takenIds.add(id);
    newIds.set(n.id, id);
    newNames.set(n.id, name);
  }
  const pasted: PipelineNode[] = [];
  const layout = { ...p.layout };
  for (const n of clip.nodes) {
    const id = newIds.get(n.id);
    if (!id) continue;
    const inputs = n.inputs.filter((i) => newIds.has(i)).map((i) => newIds.get(i) as string);
    // The copies it reads are renamed: so are the references to them in its SQL and node-name
    // fields (a check's relationship `to`), all at once, as its kind declares them.
    const renames = new Map<string, string>();
    for (const input of n.inputs) {
      const from = clip.nodes.find((x) => x.id === input)?.name;
      const to = newNames.get(input);
      if (from && to) renames.set(from, to);
    }
    const config = renameReferences(n.kind, structuredClone(n.config), renames);
    pasted.push({ ...n, id, name: newNames.get(n.id) as string, inputs, config });
    const at = clip.layout[n.id] ?? { x: 0, y: 0 };
    layout[id] = roundPos({ x: at.x + offset.x, y: at.y + offset.y });
  }
  return { pipeline: { ...p, nodes: [...p.nodes, ...pasted], layout }, ids: pasted.map((n) => n.id) };
}
