import { MarkerType, type Edge, type Rect } from '@xyflow/react';
import type { Pipeline, PipelineNode, Position } from '../../shared/pipeline/schema';
import { edgeId } from '../../shared/pipeline/doc-edits';
import { nodeKindSpec } from '../../shared/nodes/registry';
import { cardPorts, portHandles, PREDICTED_SIZE } from './card-geometry';
import type { FlowNode } from './NodeCard';

/**
 * A card's size as React Flow measured it, with the kind it had then: React Flow keeps the
 * ports it measured for an id, and a node of another kind under that id (another pipeline
 * opened, a node converted) has other ports, so its entry no longer counts.
 */
export interface MeasuredSize {
  width: number;
  height: number;
  kind: string;
}

const measuredFor = (measured: ReadonlyMap<string, MeasuredSize>, n: PipelineNode): MeasuredSize | undefined => {
  const m = measured.get(n.id);
  return m && m.kind === n.kind ? m : undefined;
};

/**
 * What the last call made, so the next one reuses it: each node's flow node while nothing it
 * shows changed, and the whole array while no node did (React Flow then adopts nothing, and
 * what is memoised on the array, the edge layer's curves, is not recomputed).
 */
export interface FlowNodeCache {
  byId: Map<string, FlowNode>;
  out: FlowNode[];
}
export const newFlowNodeCache = (): FlowNodeCache => ({ byId: new Map(), out: [] });

/** The previous array when `out` holds the same elements in the same order, else `out`. */
function keepSame<T>(prev: T[], out: T[]): T[] {
  return prev.length === out.length && out.every((x, i) => x === prev[i]) ? prev : out;
}

/** What a screen reader says for a card: its name and its kind ("batches, SQL"). */
const nodeLabel = (n: PipelineNode): string => `${n.name}, ${nodeKindSpec(n.kind)?.label ?? n.kind}`;

/** What a screen reader says for an edge, by the names users know (ids are internal). */
export const edgeLabel = (source: string, target: string): string => `Edge from ${source} to ${target}`;

/** Where a node is drawn: its layout entry, or a grid place for a node the layout misses. */
export const positionOf = (p: Pipeline, n: PipelineNode, i: number): Position => p.layout[n.id] ?? { x: 40 + (i % 4) * 260, y: 40 + Math.floor(i / 4) * 120 };

/**
 * Where a card sits, as left/top instead of React Flow's own `transform: translate(...)` (its
 * node style spreads over its position). A transform per card is a paint property node per
 * card, and Chromium re-layerizes every one of them on each frame of a pan: 80 ms a frame with
 * 1000 cards (figure 7 of `npm run bench`), against a few ms placed by left/top.
 */
const placedAt = (pos: Position): { transform: 'none'; left: number; top: number } => ({ transform: 'none', left: pos.x, top: pos.y });

/**
 * React Flow nodes from the document. Objects are reused while a node's position,
 * selection, kind and size stay the same, so React Flow and the memoised cards skip them;
 * the array is the previous one while every object is.
 *
 * A card React Flow has not reported a size for gets the size the stylesheet gives every
 * card, and its ports (see card-geometry.ts): React Flow then shows it and its edges at
 * once instead of after a measuring pass. A card whose measured size differs is reported,
 * lands in `measured`, and from then on React Flow's own measurement of its ports is used.
 */
export function toFlowNodes(p: Pipeline | null, selection: readonly string[], measured: ReadonlyMap<string, MeasuredSize>, cache: FlowNodeCache): FlowNode[] {
  const out: FlowNode[] = [];
  const seen = new Set<string>();
  const selected = new Set(selection);
  p?.nodes.forEach((n, i) => {
    const pos = positionOf(p, n, i);
    const size = measuredFor(measured, n);
    const shown = size ?? PREDICTED_SIZE;
    const prev = cache.byId.get(n.id);
    const isSel = selected.has(n.id);
    const sameKind = prev?.data.kind === n.kind;
    const label = nodeLabel(n);
    const same =
      prev &&
      sameKind &&
      prev.ariaLabel === label &&
      prev.position.x === pos.x &&
      prev.position.y === pos.y &&
      !!prev.selected === isSel &&
      prev.measured?.width === shown.width &&
      prev.measured?.height === shown.height &&
      !prev.handles === !!size;
    if (same) {
      out.push(prev);
    } else {
      const node: FlowNode = {
        id: n.id,
        type: 'weir',
        position: { x: pos.x, y: pos.y },
        style: placedAt(pos),
        data: prev && sameKind ? prev.data : { id: n.id, kind: n.kind },
        selected: isSel,
        ariaLabel: label,
        measured: { width: shown.width, height: shown.height },
        ...(size ? {} : { handles: portHandles(cardPorts(n.kind), shown) }),
      };
      cache.byId.set(n.id, node);
      out.push(node);
    }
    seen.add(n.id);
  });
  if (cache.byId.size > seen.size) for (const id of [...cache.byId.keys()]) if (!seen.has(id)) cache.byId.delete(id);
  cache.out = keepSame(cache.out, out);
  return cache.out;
}

/** The cards (all, or those of `ids`) as `toFlowNodes` places and sizes them, in flow units. */
export function cardRects(p: Pipeline, measured: ReadonlyMap<string, MeasuredSize>, ids?: readonly string[]): (Rect & { id: string })[] {
  const pick = ids ? new Set(ids) : null;
  const out: (Rect & { id: string })[] = [];
  p.nodes.forEach((n, i) => {
    if (pick && !pick.has(n.id)) return;
    const pos = positionOf(p, n, i);
    const size = measuredFor(measured, n) ?? PREDICTED_SIZE;
    out.push({ id: n.id, x: pos.x, y: pos.y, width: size.width, height: size.height });
  });
  return out;
}

const marker = { type: MarkerType.ArrowClosed, width: 16, height: 16 };

/** The edges the last call made (see FlowNodeCache). */
export interface FlowEdgeCache {
  byId: Map<string, Edge>;
  out: Edge[];
}
export const newFlowEdgeCache = (): FlowEdgeCache => ({ byId: new Map(), out: [] });

/**
 * React Flow edges from the nodes' inputs. Objects are reused while an edge's selection stays
 * the same: an edit of one node's config then re-renders none of the edges, and the array is
 * the previous one while no edge changed.
 */
export function toFlowEdges(p: Pipeline | null, selectedEdges: readonly string[], cache: FlowEdgeCache = newFlowEdgeCache()): Edge[] {
  const selected = new Set(selectedEdges);
  const out: Edge[] = [];
  const seen = new Set<string>();
  const names = new Map((p?.nodes ?? []).map((n) => [n.id, n.name]));
  for (const n of p?.nodes ?? []) {
    for (const source of n.inputs) {
      const id = edgeId({ source, target: n.id });
      const isSel = selected.has(id);
      const label = edgeLabel(names.get(source) ?? source, n.name);
      let edge = cache.byId.get(id);
      if (!edge || edge.selected !== isSel || edge.ariaLabel !== label) {
        edge = { id, source, target: n.id, selected: isSel, markerEnd: marker, ariaLabel: label };
        cache.byId.set(id, edge);
      }
      out.push(edge);
      seen.add(id);
    }
  }
  if (cache.byId.size > seen.size) for (const id of [...cache.byId.keys()]) if (!seen.has(id)) cache.byId.delete(id);
  cache.out = keepSame(cache.out, out);
  return cache.out;
}
