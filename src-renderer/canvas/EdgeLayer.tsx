import { EdgeLabelRenderer, getBezierPath, Position, type Edge } from '@xyflow/react';
import { memo, useMemo, type JSX, type MouseEvent } from 'react';
import { useDoc } from '../document/doc-store';
import { edgeEnds } from './edge-ends';
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
  /** Where the edge enters its target's port: the tip of its arrow. */
  tip: { x: number; y: number };
}

/** Each edge as a bezier between its ports (edge-ends.ts), as React Flow draws a default edge. */
function shapesOf(nodes: readonly FlowNode[], edges: readonly Edge[]): EdgeShape[] {
  return edgeEnds(nodes, edges).map(({ edge, from, to }) => {
    const [d] = getBezierPath({
      sourceX: from.x,
      sourceY: from.y,
      sourcePosition: Position.Right,
      targetX: to.x,
      targetY: to.y,
      targetPosition: Position.Left,
    });
    return { id: edge.id, d, selected: !!edge.selected, tip: to };
  });
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

/**
 * The arrow React Flow's closed marker draws at a target (`ArrowClosed`, 16 × 16 in stroke
 * widths, viewBox 20): its points -5,-4 0,0 -5,4, scaled by 16 / 20 × the stroke width. A
 * bezier edge enters a left-hand port horizontally, so the arrow points right.
 */
const STROKE = 1.6;
const ARROW_UNIT = (16 / 20) * STROKE;
const arrowAt = ({ x, y }: { x: number; y: number }): string =>
  `M${x - 5 * ARROW_UNIT},${y - 4 * ARROW_UNIT}L${x},${y}L${x - 5 * ARROW_UNIT},${y + 4 * ARROW_UNIT}Z`;

/**
 * One edge: its selected look (React Flow's path and marker) when selected, and always the
 * wide transparent stroke that takes its clicks. Unselected curves are drawn by EdgeLayer in
 * one path: a path per edge cost Chromium 6 ms of layerizing on every frame of a pan with
 * 1000 edges, one path almost nothing.
 */
const EdgeHit = memo(function EdgeHit({ id, d, selected }: Omit<EdgeShape, 'tip'>): JSX.Element {
  return (
    <g className={`react-flow__edge react-flow__edge-default selectable nopan${selected ? ' selected' : ''}`} data-id={id} onClick={onEdgeClick}>
      {selected && <path className="react-flow__edge-path" d={d} fill="none" markerEnd={`url(#${ARROW_ID})`} />}
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
  // The kinds come with the nodes (their data), so an edit that moves no card and changes no
  // kind leaves both arrays, and so the curves, as they were.
  const shapes = useMemo(() => shapesOf(nodes, edges), [nodes, edges]);
  const bundle = useMemo(() => {
    const plain = shapes.filter((s) => !s.selected);
    return { curves: plain.map((s) => s.d).join(''), arrows: plain.map((s) => arrowAt(s.tip)).join('') };
  }, [shapes]);
  return (
    <EdgeLabelRenderer>
      <svg className="edge-layer" width={1} height={1} aria-hidden="true">
        <defs>
          {/* React Flow's closed arrow, as it draws `markerEnd: { type: ArrowClosed, width: 16, height: 16 }` */}
          <marker id={ARROW_ID} className="react-flow__arrowhead" markerWidth="16" markerHeight="16" viewBox="-10 -10 20 20" markerUnits="strokeWidth" orient="auto-start-reverse" refX="0" refY="0">
            <polyline className="arrowclosed" style={{ strokeWidth: 1, stroke: '#b1b1b7', fill: '#b1b1b7' }} strokeLinecap="round" strokeLinejoin="round" points="-5,-4 0,0 -5,4 -5,-4" />
          </marker>
        </defs>
        <path className="react-flow__edge-path edge-bundle" d={bundle.curves} fill="none" />
        <path className="edge-bundle-arrows" d={bundle.arrows} />
        {shapes.map((s) => (
          <EdgeHit key={s.id} id={s.id} d={s.d} selected={s.selected} />
        ))}
      </svg>
    </EdgeLabelRenderer>
  );
}
