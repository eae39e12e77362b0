import { nodeKindSpec } from '../nodes/registry';
import { canonicalAnnotations, isAnnotationKey } from './annotations';
import type { Pipeline, PipelineNode } from './schema';

const TOP_KEYS = ['$schema', 'format', 'version', 'name', 'description', 'params', 'publish', 'partitions', 'nodes', 'layout'];
const PARAM_KEYS = ['type', 'default', 'description'];
const NODE_KEYS = ['id', 'name', 'kind', 'description', 'inputs', 'config'];
const CHART_KEYS = ['mark', 'x', 'y', 'color', 'facet', 'agg'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function ordered(obj: Record<string, unknown>, first: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of first) if (obj[k] !== undefined) out[k] = obj[k];
  for (const k of Object.keys(obj).sort()) if (!(k in out) && obj[k] !== undefined) out[k] = obj[k];
  return out;
}

/** Keys in the order the kind's schema declares them, so the file reads like the form. */
function configKeyOrder(kind: string): string[] {
  const schema = nodeKindSpec(kind)?.config as unknown as { shape?: Record<string, unknown>; def?: { in?: { shape?: object } } } | undefined;
  const shape = schema?.shape ?? (schema?.def?.in?.shape as Record<string, unknown> | undefined);
  return shape ? Object.keys(shape) : [];
}

function canonicalNode(n: PipelineNode): Record<string, unknown> {
  const config = ordered(n.config, configKeyOrder(n.kind));
  return ordered({ ...n, description: n.description || undefined, config }, NODE_KEYS);
}

/**
 * Positions are rounded to whole pixels: sub-pixel drags would otherwise make noisy diffs. A
 * node's saved chart follows its position (an empty y list left out: it is the default). The
 * notes and frames follow the positions (node ids cannot be "notes" or "frames").
 */
function canonicalLayout(p: Pipeline): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of p.nodes) {
    const pos = p.layout[n.id];
    if (!pos) continue;
    const chart = pos.chart ? ordered({ ...pos.chart, y: pos.chart.y.length ? pos.chart.y : undefined }, CHART_KEYS) : undefined;
    out[n.id] = { x: Math.round(pos.x), y: Math.round(pos.y), ...(chart ? { chart } : {}) };
  }
  return { ...out, ...canonicalAnnotations(p.annotations) };
}

/** JSON on one line, with a space after each separator: a layout entry (and its chart) is one diff line. */
function oneLine(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(oneLine).join(', ')}]`;
  const keys = Object.keys(v);
  return keys.length ? `{ ${keys.map((k) => `${JSON.stringify(k)}: ${oneLine(v[k] as Json)}`).join(', ')} }` : '{}';
}

function canonicalPipelineObject(p: Pipeline): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const k of Object.keys(p.params).sort()) params[k] = ordered({ ...p.params[k] }, PARAM_KEYS);
  return ordered(
    {
      ...p,
      description: p.description || undefined,
      params,
      nodes: p.nodes.map(canonicalNode),
      layout: canonicalLayout(p),
      // written inside layout, never at the top
      annotations: undefined,
    },
    TOP_KEYS,
  );
}

/** A short object of scalars on one line, so each node's position is one diff line. */
function isInlineable(v: Json): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const vals = Object.values(v);
  return vals.length <= 4 && vals.every((x) => x === null || typeof x !== 'object');
}

/** Whether the value at a path is written on one line: `true` when it is small, `'any'` whatever its number of scalars. */
type InlineAt = (path: string[]) => boolean | 'any';

function stringify(v: Json, indent: string, inlineAt: InlineAt, path: string[]): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (inlineAt(path)) return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
    return `[\n${v.map((x, i) => inner + stringify(x, inner, inlineAt, [...path, String(i)])).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return '{}';
  if (path.length === 2 && path[0] === 'layout' && !isAnnotationKey(path[1]!)) return oneLine(v);
  const inline = inlineAt(path);
  if (inline && (isInlineable(v) || (inline === 'any' && Object.values(v).every((x) => x === null || typeof x !== 'object')))) {
    return `{ ${keys.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(v[k])}`).join(', ')} }`;
  }
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${stringify(v[k] as Json, inner, inlineAt, [...path, k])}`).join(',\n')}\n${indent}}`;
}

/**
 * The one way a pipeline is written: fixed key order, two-space indent, SQL one line per
 * array element, a layout entry per line, seed rows one per line, trailing newline.
 * load → save gives the same bytes.
 */
export function serializePipeline(p: Pipeline): string {
  const obj = canonicalPipelineObject(p) as Json;
  const inlineAt: InlineAt = (path) =>
    (path.length === 2 && path[0] === 'layout' && !isAnnotationKey(path[1]!)) ||
    // one note or frame per line: moving one is a one-line diff
    (path.length === 3 && path[0] === 'layout' && isAnnotationKey(path[1]!) ? 'any' : false) ||
    (path.length === 3 && path[0] === 'nodes' && path[2] === 'inputs') ||
    // seed rows and column lists: one row per line reads like a table
    (path.length === 5 && path[0] === 'nodes' && path[2] === 'config' && (path[3] === 'rows' || path[3] === 'columns'));
  return stringify(obj, '', inlineAt, []) + '\n';
}
