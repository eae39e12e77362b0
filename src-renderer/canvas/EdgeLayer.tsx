import { EdgeLabelRenderer, getBezierPath, Position, type Edge } from '@xyflow/react';
import { memo, useMemo, type JSX, type MouseEvent } from 'react';
import { useDoc } from '../state/doc-store';
import { cardPorts, portHandles } from './card-geometry';
import type { FlowNode } from './NodeCard';

/**
 * From this many nodes on, the canvas draws the edges itself (EdgeLayer) instead of React
 * Flow. React Flow gives every edge a component subscribed to its store and an <svg> of its
 * own: with a thousand edges, every frame of a pan re-ran a thousand selectors and
 * re-layerized a thousand SVG roots. Below it, React Flow's edges (focusable with the
 * keyboard) are kept.
 */
export const LARGE_PIPELINE = 300;

const ARROW_ID = 'weir-edge-arrow';

interface EdgeShape {
  id: string;
  d: string;
  selected: boolean;
}

/** Where an edge leaves its source and enters its target: the ports as card-geometry.ts places them. */
function shapesOf(nodes: readonly FlowNode[], edges: readonly Edge[], kinds: ReadonlyMap<string, { kind: string }>): EdgeShape[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: EdgeShape[] = [];
  for (const e of edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    const sKind = kinds.get(e.source)?.kind;
    const tKind = kinds.get(e.target)?.kind;
    if (!s?.measured || !t?.measured || !sKind || !tKind) continue;
    const out_ = portHandles(cardPorts(sKind), { width: s.measured.width ?? 0, height: s.measured.height ?? 0 }).find((h) => h.type === 'source');
    const in_ = portHandles(cardPorts(tKind), { width: t.measured.width ?? 0, height: t.measured.height ?? 0 }).find((h) => h.type === 'target');
    if (!out_ || !in_) continue;
    // As React Flow anchors a default (bezier) edge: the outer side of each port, at its middle.
    const [d] = getBezierPath({
      sourceX: s.position.x + out_.x + (out_.width ?? 0),
      sourceY: s.position.y + out_.y + (out_.height ?? 0) / 2,
      sourcePosition: Position.Right,
      targetX: t.position.x + in_.x,
      targetY: t.position.y + in_.y + (in_.height ?? 0) / 2,
      targetPosition: Position.Left,
    });
    out.push({ id: e.id, d, selected: !!e.selected });
  }
  return out;
}

/** A click selects the edge (Ctrl/⌘ adds it to the selection, or takes it out), as on React Flow's edges. */
function onEdgeClick(e: MouseEvent<SVGGElement>): void {
  const id = e.currentTarget.dataset.id;
  if (!id) return;
  const s = useDoc.getState();
  if (e.ctrlKey || e.metaKey) {
    s.setSelection(s.selection, s.selectedEdges.includes(id) ? s.selectedEdges.filter((x) => x !== id) : [...s.selectedEdges, id]);
  } else {
    s.setSelection([], [id]);
  }
}

const EdgePath = memo(function EdgePath({ id, d, selected }: EdgeShape): JSX.Element {
  return (
    <g className={`react-flow__edge react-flow__edge-default selectable nopan${selected ? ' selected' : ''}`} data-id={id} onClick={onEdgeClick}>
      <path className="react-flow__edge-path" d={d} fill="none" markerEnd={`url(#${ARROW_ID})`} />
      <path className="react-flow__edge-interaction" d={d} fill="none" strokeOpacity={0} strokeWidth={20} />
    </g>
  );
});

/**
 * The edges of a large pipeline in one SVG under the cards: the same curves, arrows, classes
 * and click-to-select as React Flow's, and Delete removes a selected one the same way (the
 * selection lives in the document store either way).
 */
export function EdgeLayer({ nodes, edges }: { nodes: readonly FlowNode[]; edges: readonly Edge[] }): JSX.Element {
  const byId = useDoc((s) => s.byId);
  const shapes = useMemo(() => shapesOf(nodes, edges, byId), [nodes, edges, byId]);
  return (
    <EdgeLabelRenderer>
      <svg className="edge-layer" width={1} height={1} aria-hidden="true">
        <defs>
          {/* React Flow's closed arrow, as it draws `markerEnd: { type: ArrowClosed, width: 16, height: 16 }` */}
          <marker id={ARROW_ID} className="react-flow__arrowhead" markerWidth="16" markerHeight="16" viewBox="-10 -10 20 20" markerUnits="strokeWidth" orient="auto-start-reverse" refX="0" refY="0">
            <polyline className="arrowclosed" style={{ strokeWidth: 1, stroke: '#b1b1b7', fill: '#b1b1b7' }} strokeLinecap="round" strokeLinejoin="round" points="-5,-4 0,0 -5,4 -5,-4" />
          </marker>
        </defs>
        {shapes.map((s) => (
          <EdgePath key={s.id} id={s.id} d={s.d} selected={s.selected} />
        ))}
      </svg>
    </EdgeLabelRenderer>
  );
}
