import { ViewportPortal, type Edge } from '@xyflow/react';
import { memo, useState, type JSX, type KeyboardEvent } from 'react';
import { parseEdgeId } from '../../shared/pipeline/doc-edits';
import { useDoc } from '../document/doc-store';
import { canvasControl } from './canvas-control';
import { edgeEnds } from './edge-ends';
import type { FlowNode } from './NodeCard';

interface Stop {
  id: string;
  label: string;
  selected: boolean;
  x: number;
  y: number;
}

/** The middle of each edge (a bezier between a right and a left port has it halfway between them). */
function stopsOf(nodes: readonly FlowNode[], edges: readonly Edge[]): Stop[] {
  return edgeEnds(nodes, edges).map(({ edge, from, to }) => ({
    id: edge.id,
    label: edge.ariaLabel ?? edge.id,
    selected: !!edge.selected,
    x: (from.x + to.x) / 2,
    y: (from.y + to.y) / 2,
  }));
}

function onStopKey(e: KeyboardEvent<HTMLButtonElement>): void {
  const id = e.currentTarget.dataset.edgeId;
  if (!id || (e.key !== 'Enter' && e.key !== ' ')) return;
  e.preventDefault();
  const s = useDoc.getState();
  // Enter or Space selects the edge (Delete then removes it); with Ctrl/⌘ it joins the selection.
  if (e.ctrlKey || e.metaKey) s.setSelection(s.selection, s.selectedEdges.includes(id) ? s.selectedEdges.filter((x) => x !== id) : [...s.selectedEdges, id]);
  else s.setSelection([], [id]);
}

/**
 * The edges' places in the Tab order. React Flow renders its edges before its nodes, so
 * focusable edges came first in the Tab order (23 of them before the template's first card).
 * Its edges are therefore not focusable here; instead each edge has a button at its middle,
 * in React Flow's viewport portal, which comes after the nodes: Tab walks the cards, then the
 * edges. A focused edge is drawn in the accent colour, with a ring at its middle, and is named
 * by its nodes' names.
 */
export const EdgeStops = memo(function EdgeStops({ nodes, edges }: { nodes: readonly FlowNode[]; edges: readonly Edge[] }): JSX.Element {
  const [focused, setFocused] = useState<string | null>(null);
  const stops = stopsOf(nodes, edges);
  return (
    <ViewportPortal>
      {focused && <style>{`.canvas .react-flow__edge[data-id="${CSS.escape(focused)}"] .react-flow__edge-path { stroke: var(--accent); stroke-width: 3.2; }`}</style>}
      <div className="edge-stops">
        {stops.map((s) => (
          <button
            key={s.id}
            type="button"
            className={`edge-stop${s.selected ? ' selected' : ''}`}
            data-edge-id={s.id}
            data-testid="edge-stop"
            aria-label={s.label}
            aria-pressed={s.selected}
            style={{ left: s.x, top: s.y }}
            onKeyDown={onStopKey}
            onFocus={() => {
              setFocused(s.id);
              // As React Flow pans to a focused card, bring a focused edge's two cards into view.
              const e = parseEdgeId(s.id);
              if (e) canvasControl()?.show([e.source, e.target]);
            }}
            onBlur={() => setFocused((f) => (f === s.id ? null : f))}
          />
        ))}
      </div>
    </ViewportPortal>
  );
});
