import { Panel, useReactFlow, useStore, useStoreApi } from '@xyflow/react';
import { memo, useEffect, useMemo, useRef, type JSX, type PointerEvent } from 'react';
import { nodeKindSpec, type NodeCategory } from '../../shared/nodes/registry';
import { CATEGORY_ORDER, categoryColorVar } from './kind-style';
import type { FlowNode } from './NodeCard';

const WIDTH = 168;
const HEIGHT = 112;
/** The margin around what the map shows, in map pixels. */
const MARGIN = 5;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function nodesBox(nodes: readonly FlowNode[]): Box | null {
  if (!nodes.length) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const n of nodes) {
    x0 = Math.min(x0, n.position.x);
    y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + (n.measured?.width ?? 0));
    y1 = Math.max(y1, n.position.y + (n.measured?.height ?? 0));
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/** Every card as a rectangle in its category's colour: one path per category, however many cards. */
const NodeShapes = memo(function NodeShapes({ nodes }: { nodes: readonly FlowNode[] }): JSX.Element {
  const paths = new Map<NodeCategory, string[]>();
  for (const n of nodes) {
    const category = nodeKindSpec(n.data.kind)?.category ?? 'transform';
    const list = paths.get(category) ?? [];
    list.push(`M${n.position.x},${n.position.y}h${n.measured?.width ?? 0}v${n.measured?.height ?? 0}h${-(n.measured?.width ?? 0)}z`);
    paths.set(category, list);
  }
  return (
    <>
      {CATEGORY_ORDER.filter((c) => paths.has(c)).map((c) => (
        <path key={c} className="react-flow__minimap-node" d={paths.get(c)!.join('')} style={{ fill: categoryColorVar(c) }} />
      ))}
    </>
  );
});

/**
 * The overview in the canvas's corner: the cards as rectangles and the visible part as a
 * window; drag in it to pan, wheel over it to zoom (as React Flow's MiniMap, whose look it
 * keeps through the same class names). React Flow's MiniMap draws every node as a component
 * of its own subscribed to the flow's store, so with 1000 nodes a pan frame re-ran a
 * thousand selectors and repainted a thousand shapes; here the cards are four paths that
 * change only when the cards do, and only the window (a box moved by a transform) follows
 * the viewport.
 */
export function OverviewMap({ nodes }: { nodes: readonly FlowNode[] }): JSX.Element {
  const rf = useReactFlow();
  const store = useStoreApi();
  const transform = useStore((s) => s.transform);
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  const box = useMemo(() => nodesBox(nodes), [nodes]);
  const svg = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);

  const [tx, ty, zoom] = transform;
  const view = { x: -tx / zoom, y: -ty / zoom, width: paneWidth / zoom, height: paneHeight / zoom };
  const shown = box ? union(box, view) : view;
  const viewScale = Math.max(shown.width / WIDTH, shown.height / HEIGHT) || 1;
  const scale = useRef(viewScale);
  scale.current = viewScale;
  const offset = MARGIN * viewScale;
  const x = shown.x - (viewScale * WIDTH - shown.width) / 2 - offset;
  const y = shown.y - (viewScale * HEIGHT - shown.height) / 2 - offset;
  const width = viewScale * WIDTH + offset * 2;
  const height = viewScale * HEIGHT + offset * 2;

  // The visible part, in map pixels (the svg's viewBox shown as preserveAspectRatio's
  // "xMidYMid meet" shows it). It is a box of its own, moved by a transform on a layer of its
  // own, and the map around it is dimmed by its shadow: a pan then moves a layer and repaints
  // nothing. Redrawn in the svg, every pan frame repainted the page and re-layerized every
  // card on a 1000-node canvas (bench figure 7b).
  const fit = Math.min(WIDTH / width, HEIGHT / height);
  const win = {
    x: (WIDTH - width * fit) / 2 + (view.x - x) * fit,
    y: (HEIGHT - height * fit) / 2 + (view.y - y) * fit,
    width: view.width * fit,
    height: view.height * fit,
  };

  // Wheel zooms the canvas about its centre; a native listener, as it must be able to
  // keep the page from scrolling.
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const step = -e.deltaY * (e.deltaMode === 1 ? 0.05 : e.deltaMode ? 1 : 0.002);
      void rf.zoomTo(store.getState().transform[2] * 2 ** step);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [rf, store]);

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    drag.current = { x: e.clientX, y: e.clientY };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  // Dragging moves the window with the pointer: a map pixel is viewScale flow units.
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const from = drag.current;
    if (!from) return;
    drag.current = { x: e.clientX, y: e.clientY };
    const [cx, cy, z] = store.getState().transform;
    const k = scale.current * z;
    void rf.setViewport({ x: cx - (e.clientX - from.x) * k, y: cy - (e.clientY - from.y) * k, zoom: z });
  };
  const onPointerUp = () => {
    drag.current = null;
  };

  return (
    <Panel position="bottom-right" className="react-flow__minimap pannable zoomable" data-testid="overview-map" style={{ width: WIDTH, height: HEIGHT }}>
      <svg
        ref={svg}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${x} ${y} ${width} ${height}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-label="Pipeline overview"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        <NodeShapes nodes={nodes} />
      </svg>
      <div className="overview-window" aria-hidden="true" style={{ width: win.width, height: win.height, transform: `translate(${win.x}px, ${win.y}px)` }} />
    </Panel>
  );
}
