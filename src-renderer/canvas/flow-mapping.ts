import { MarkerType, type Edge } from '@xyflow/react';
import type { Pipeline } from '../../shared/pipeline/schema';
import { edgeId } from '../state/doc-model';
import type { FlowNode } from './NodeCard';

type Size = { width: number; height: number };

/**
 * React Flow nodes from the document. Objects are reused while a node's position,
 * selection and size stay the same, so React Flow and the memoised cards skip them.
 */
export function toFlowNodes(p: Pipeline | null, selection: readonly string[], measured: ReadonlyMap<string, Size>, cache: Map<string, FlowNode>): FlowNode[] {
  if (!p) return [];
  const selected = new Set(selection);
  const out: FlowNode[] = [];
  const seen = new Set<string>();
  p.nodes.forEach((n, i) => {
    const pos = p.layout[n.id] ?? { x: 40 + (i % 4) * 260, y: 40 + Math.floor(i / 4) * 120 };
    const size = measured.get(n.id);
    const prev = cache.get(n.id);
    const isSel = selected.has(n.id);
    if (prev && prev.position.x === pos.x && prev.position.y === pos.y && !!prev.selected === isSel && prev.measured?.width === size?.width && prev.measured?.height === size?.height) {
      out.push(prev);
    } else {
      const node: FlowNode = { id: n.id, type: 'weir', position: { x: pos.x, y: pos.y }, data: prev?.data ?? { id: n.id }, selected: isSel, ...(size ? { measured: size } : {}) };
      cache.set(n.id, node);
      out.push(node);
    }
    seen.add(n.id);
  });
  for (const id of [...cache.keys()]) if (!seen.has(id)) cache.delete(id);
  return out;
}

const marker = { type: MarkerType.ArrowClosed, width: 16, height: 16 };

export function toFlowEdges(p: Pipeline | null, selectedEdges: readonly string[]): Edge[] {
  if (!p) return [];
  const selected = new Set(selectedEdges);
  return p.nodes.flatMap((n) =>
    n.inputs.map((source) => {
      const id = edgeId({ source, target: n.id });
      return { id, source, target: n.id, selected: selected.has(id), markerEnd: marker };
    }),
  );
}
