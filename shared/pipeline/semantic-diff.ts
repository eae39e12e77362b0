import { canonicalJson } from '../canonical-json';
import { jsonPath } from '../errors';
import { sqlKeysOf } from '../nodes/registry';
import { lineDiff, type LineDiff } from './line-diff';
import { canonicalAnnotations } from './annotations';
import type { ParamSpec, Pipeline, PipelineNode, Position } from './schema';
import type { ChartSpec } from '../chart/spec';

/**
 * What changed between two versions of a pipeline, as a reviewer reads it: nodes matched
 * by their stable id (so a rename is a rename, not a remove and an add), config changes by
 * JSON path, SQL as a line diff per node, and layout (positions, node order) kept apart
 * because it never changes a result. Pure: the CLI, the API and the renderer share it.
 */

export interface NodeRef {
  id: string;
  name: string;
  kind: string;
}

/** An added or removed node, with its full content so a reviewer can read it. */
export interface NodeEntry extends NodeRef {
  node: PipelineNode;
}

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One value that differs; `before` is absent when added, `after` when removed. */
export interface ValueChange {
  /** JSON path inside the node (`config.csv.header`, `description`) or the pipeline (`name`). */
  path: string;
  change: ChangeKind;
  before?: unknown;
  after?: unknown;
}

export interface SqlChange {
  /** The config field holding the SQL (lines, or text), as its kind declares it: `sql`, `query`, `condition`. */
  field: string;
  diff: LineDiff;
}

export interface InputsChange {
  before: string[];
  after: string[];
  /** Upstream nodes now wired in / no longer wired in, by id. */
  added: string[];
  removed: string[];
  /** Same inputs in another order (which changes nothing in SQL, but is a file change). */
  reordered: boolean;
  /** The name of every id above (as named after the change, or before if it was removed). */
  names: Record<string, string>;
}

export interface NodeChange extends NodeRef {
  /** Same id, new name. */
  renamed: { from: string; to: string } | null;
  kindChanged: { from: string; to: string } | null;
  inputs: InputsChange | null;
  /** Description and every non-SQL config value that differs. */
  config: ValueChange[];
  sql: SqlChange[];
}

export interface ParamChange {
  name: string;
  change: ChangeKind;
  before?: ParamSpec;
  after?: ParamSpec;
}

export interface LayoutMove {
  id: string;
  name: string;
  before: Position | null;
  after: Position | null;
}

/** A preview chart saved on a node (layout.<id>.chart) set, changed or removed: layout only. */
export interface ChartChange {
  id: string;
  name: string;
  before: ChartSpec | null;
  after: ChartSpec | null;
}

/** A sticky note or frame added, removed, or changed (moved, resized, retitled, recoloured). */
export interface AnnotationChange {
  type: 'note' | 'frame';
  id: string;
  change: 'added' | 'removed' | 'changed';
}

export interface PipelineDiff {
  /** Both versions are the same pipeline, layout included. */
  identical: boolean;
  /** Only positions or node order differ: nothing that can change a result. */
  layoutOnly: boolean;
  /** The file did not exist before / no longer exists. */
  created: boolean;
  deleted: boolean;
  /** Top-level fields: `name`, `description`, `$schema`. */
  pipeline: ValueChange[];
  params: ParamChange[];
  nodes: {
    added: NodeEntry[];
    removed: NodeEntry[];
    renamed: { id: string; from: string; to: string }[];
    /** Every node present in both versions whose content differs (renames included). */
    changed: NodeChange[];
  };
  layout: {
    moved: LayoutMove[];
    /** Charts saved on nodes (the preview's Chart tab) that changed. */
    charts: ChartChange[];
    /** The nodes array lists the same nodes in another order. */
    reordered: boolean;
    /** Notes and frames (layout.notes, layout.frames): like positions, no effect on results. */
    annotations: AnnotationChange[];
  };
  summary: {
    added: number;
    removed: number;
    renamed: number;
    changed: number;
    params: number;
    moved: number;
    sqlLinesAdded: number;
    sqlLinesRemoved: number;
  };
}

export interface DiffOptions {
  /** Unchanged SQL lines shown around each change (default 3). */
  context?: number;
}

const ref = (n: PipelineNode): NodeRef => ({ id: n.id, name: n.name, kind: n.kind });
const entry = (n: PipelineNode): NodeEntry => ({ ...ref(n), node: n });

export function diffPipelines(before: Pipeline | null, after: Pipeline | null, opts: DiffOptions = {}): PipelineDiff {
  const context = opts.context ?? 3;
  const a = before ?? emptyLike(after);
  const b = after ?? emptyLike(before);
  const beforeById = new Map(a.nodes.map((n) => [n.id, n]));
  const afterById = new Map(b.nodes.map((n) => [n.id, n]));

  const added = b.nodes.filter((n) => !beforeById.has(n.id)).map(entry);
  const removed = a.nodes.filter((n) => !afterById.has(n.id)).map(entry);
  const changed: NodeChange[] = [];
  const moved: LayoutMove[] = [];
  const charts: ChartChange[] = [];
  for (const nb of b.nodes) {
    const na = beforeById.get(nb.id);
    if (!na) continue;
    const change = diffNode(na, nb, context, (id) => afterById.get(id)?.name ?? beforeById.get(id)?.name ?? id);
    if (change) changed.push(change);
    const pa = roundPos(a.layout[na.id]);
    const pb = roundPos(b.layout[nb.id]);
    if (!samePos(pa, pb)) moved.push({ id: nb.id, name: nb.name, before: pa, after: pb });
    const ca = a.layout[na.id]?.chart ?? null;
    const cb = b.layout[nb.id]?.chart ?? null;
    if (!deepEqual(ca, cb)) charts.push({ id: nb.id, name: nb.name, before: ca, after: cb });
  }

  const commonA = a.nodes.filter((n) => afterById.has(n.id)).map((n) => n.id);
  const commonB = b.nodes.filter((n) => beforeById.has(n.id)).map((n) => n.id);
  const reordered = commonA.some((id, i) => commonB[i] !== id);

  const pipeline: ValueChange[] = [];
  if (before && after) {
    for (const key of ['name', 'description', '$schema', 'partitions'] as const) diffValue(key, a[key], b[key], pipeline);
  }
  const params = diffParams(a.params, b.params);
  const renamed = changed.filter((c) => c.renamed).map((c) => ({ id: c.id, from: c.renamed!.from, to: c.renamed!.to }));
  const sqlDiffs = changed.flatMap((c) => c.sql.map((s) => s.diff));
  const semantic = pipeline.length + params.length + added.length + removed.length + changed.length;
  const annotations = diffAnnotations(a, b);
  const layoutChanges = moved.length + charts.length + (reordered ? 1 : 0) + annotations.length;
  return {
    identical: semantic === 0 && layoutChanges === 0 && !!before === !!after,
    layoutOnly: semantic === 0 && layoutChanges > 0,
    created: !before && !!after,
    deleted: !!before && !after,
    pipeline,
    params,
    nodes: { added, removed, renamed, changed },
    layout: { moved, charts, reordered, annotations },
    summary: {
      added: added.length,
      removed: removed.length,
      renamed: renamed.length,
      changed: changed.length,
      params: params.length,
      moved: moved.length,
      sqlLinesAdded: sqlDiffs.reduce((s, d) => s + d.added, 0),
      sqlLinesRemoved: sqlDiffs.reduce((s, d) => s + d.removed, 0),
    },
  };
}

function diffAnnotations(a: Pipeline, b: Pipeline): AnnotationChange[] {
  const out: AnnotationChange[] = [];
  const pairs = [
    ['note', a.annotations?.notes ?? [], b.annotations?.notes ?? []],
    ['frame', a.annotations?.frames ?? [], b.annotations?.frames ?? []],
  ] as const;
  for (const [type, before, after] of pairs) {
    // compared as the file writes them, so a sub-pixel drag is no change
    const text = (xs: readonly { id: string }[], key: 'notes' | 'frames') => new Map((canonicalAnnotations({ [key]: xs })[key] ?? []).map((x) => [String(x.id), JSON.stringify(x)]));
    const was = text(before, type === 'note' ? 'notes' : 'frames');
    const now = text(after, type === 'note' ? 'notes' : 'frames');
    for (const [id, t] of now) {
      const old = was.get(id);
      if (old === undefined) out.push({ type, id, change: 'added' });
      else if (old !== t) out.push({ type, id, change: 'changed' });
    }
    for (const id of was.keys()) if (!now.has(id)) out.push({ type, id, change: 'removed' });
  }
  return out;
}

function emptyLike(p: Pipeline | null): Pipeline {
  return { format: 'weir.pipeline', version: 1, name: p?.name ?? 'pipeline', params: {}, nodes: [], layout: {} };
}

function diffNode(a: PipelineNode, b: PipelineNode, context: number, nameOf: (id: string) => string): NodeChange | null {
  const config: ValueChange[] = [];
  const sql: SqlChange[] = [];
  diffValue('description', a.description, b.description, config);
  const keys = [...new Set([...Object.keys(a.config), ...Object.keys(b.config)])];
  // The fields either version's kind declares as SQL diff as lines, as a reviewer reads SQL.
  const sqlKeys = new Set([...sqlKeysOf(a.kind), ...sqlKeysOf(b.kind)]);
  for (const key of keys) {
    const va = a.config[key];
    const vb = b.config[key];
    if (sqlKeys.has(key) && isLinesOrAbsent(va) && isLinesOrAbsent(vb) && (va !== undefined || vb !== undefined)) {
      const diff = lineDiff(asLines(va), asLines(vb), context);
      if (diff.hunks.length) sql.push({ field: key, diff });
      continue;
    }
    diffValue(jsonPath(['config', key]), va, vb, config);
  }
  const inputs = diffInputs(a.inputs, b.inputs, nameOf);
  const renamed = a.name !== b.name ? { from: a.name, to: b.name } : null;
  const kindChanged = a.kind !== b.kind ? { from: a.kind, to: b.kind } : null;
  if (!renamed && !kindChanged && !inputs && !config.length && !sql.length) return null;
  return { ...ref(b), renamed, kindChanged, inputs, config, sql };
}

function isLinesOrAbsent(v: unknown): boolean {
  return v === undefined || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

function asLines(v: unknown): string[] {
  if (v === undefined) return [];
  if (typeof v === 'string') return v.replace(/\r\n?/g, '\n').split('\n');
  return v as string[];
}

function diffInputs(a: string[], b: string[], nameOf: (id: string) => string): InputsChange | null {
  if (a.length === b.length && a.every((x, i) => b[i] === x)) return null;
  const added = b.filter((x) => !a.includes(x));
  const removed = a.filter((x) => !b.includes(x));
  const names = Object.fromEntries([...new Set([...a, ...b])].map((id) => [id, nameOf(id)]));
  return { before: a, after: b, added, removed, reordered: !added.length && !removed.length, names };
}

function diffParams(a: Record<string, ParamSpec>, b: Record<string, ParamSpec>): ParamChange[] {
  const out: ParamChange[] = [];
  for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const pa = a[name];
    const pb = b[name];
    if (pa && !pb) out.push({ name, change: 'removed', before: pa });
    else if (!pa && pb) out.push({ name, change: 'added', after: pb });
    else if (pa && pb && !deepEqual(pa, pb)) out.push({ name, change: 'changed', before: pa, after: pb });
  }
  return out;
}

/**
 * Appends the changes between two JSON values: objects by key, arrays element by element
 * when they are as long, otherwise as the elements removed and added (an LCS over them).
 */
export function diffValue(path: string, a: unknown, b: unknown, out: ValueChange[]): void {
  if (deepEqual(a, b)) return;
  if (a === undefined) {
    out.push({ path, change: 'added', after: b });
    return;
  }
  if (b === undefined) {
    out.push({ path, change: 'removed', before: a });
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])]) diffValue(join(path, k), a[k], b[k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length === b.length) {
      a.forEach((x, i) => diffValue(`${path}[${i}]`, x, b[i], out));
      return;
    }
    const ops = lineDiff(a.map(stable), b.map(stable), 0);
    for (const h of ops.hunks) {
      for (const l of h.lines) {
        if (l.op === '-') out.push({ path: `${path}[${(l.before as number) - 1}]`, change: 'removed', before: a[(l.before as number) - 1] });
        if (l.op === '+') out.push({ path: `${path}[${(l.after as number) - 1}]`, change: 'added', after: b[(l.after as number) - 1] });
      }
    }
    return;
  }
  out.push({ path, change: 'changed', before: a, after: b });
}

function join(path: string, key: string): string {
  const seg = jsonPath([key]);
  return seg.startsWith('[') ? path + seg : `${path}.${seg}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * JSON text with sorted keys, so two objects that differ only in key order compare equal.
 * `undefined` (a key only one side has) stays apart from `null`, so that adding a key whose
 * value is null is a change.
 */
function stable(v: unknown): string {
  return v === undefined ? 'undefined' : canonicalJson(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

/** Canonical files round positions to whole pixels, so sub-pixel noise is no move. */
function roundPos(p: Position | undefined): Position | null {
  return p ? { x: Math.round(p.x), y: Math.round(p.y) } : null;
}

function samePos(a: Position | null, b: Position | null): boolean {
  return a === b || (!!a && !!b && a.x === b.x && a.y === b.y);
}
