import type { Edge } from '@xyflow/react';
import { cardPorts, portHandles } from './card-geometry';
import type { FlowNode } from './NodeCard';

export interface EdgeEnds {
  edge: Edge;
  /** The outer side of the source's output port, at its middle. */
  from: { x: number; y: number };
  /** The outer side of the target's input port, at its middle: where the arrow's tip goes. */
  to: { x: number; y: number };
}

/**
 * Where each edge leaves its source and enters its target, as React Flow anchors a default
 * edge on the ports card-geometry.ts places; edges whose cards are not measured yet are left out.
 * The large-pipeline edge layer draws between these points and the keyboard's edge stops sit
 * halfway between them.
 */
export function edgeEnds(nodes: readonly FlowNode[], edges: readonly Edge[]): EdgeEnds[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: EdgeEnds[] = [];
  for (const edge of edges) {
    const s = byId.get(edge.source);
    const t = byId.get(edge.target);
    if (!s?.measured || !t?.measured) continue;
    const o = portHandles(cardPorts(s.data.kind), { width: s.measured.width ?? 0, height: s.measured.height ?? 0 }).find((h) => h.type === 'source');
    const i = portHandles(cardPorts(t.data.kind), { width: t.measured.width ?? 0, height: t.measured.height ?? 0 }).find((h) => h.type === 'target');
    if (!o || !i) continue;
    out.push({
      edge,
      from: { x: s.position.x + o.x + (o.width ?? 0), y: s.position.y + o.y + (o.height ?? 0) / 2 },
      to: { x: t.position.x + i.x, y: t.position.y + i.y + (i.height ?? 0) / 2 },
    });
  }
  return out;
}
