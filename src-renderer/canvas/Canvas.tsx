import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type JSX } from 'react';
import { nodeKindSpec } from '../../shared/nodes/registry';
import type { Position } from '../../shared/pipeline/schema';
import { addNode, connect, moveNodes } from '../state/doc-model';
import { useDoc } from '../state/doc-store';
import { useUi } from '../state/ui-store';
import { setCanvasControl } from './canvas-control';
import { toFlowEdges, toFlowNodes } from './flow-mapping';
import { NodeCard, type FlowNode } from './NodeCard';
import { CARD_HEIGHT, CARD_WIDTH } from './auto-layout';

/** Defined once: React Flow re-mounts every node when this object changes. */
const nodeTypes = { weir: NodeCard };

export const PALETTE_MIME = 'application/x-weir-kind';

const miniMapColor = (n: FlowNode) => `var(--cat-${nodeKindSpec(useDoc.getState().byId.get(n.id)?.kind ?? '')?.category ?? 'transform'})`;

export function Canvas(): JSX.Element {
  const doc = useDoc((s) => s.doc);
  const selection = useDoc((s) => s.selection);
  const selectedEdges = useDoc((s) => s.selectedEdges);
  const theme = useUi((s) => s.theme);
  const rf = useReactFlow();
  const measured = useRef(new Map<string, { width: number; height: number }>());
  const cache = useRef(new Map<string, FlowNode>());
  const [sizeTick, setSizeTick] = useState(0);
  const wrapper = useRef<HTMLDivElement>(null);

  const nodes = useMemo(
    () => toFlowNodes(doc, selection, measured.current, cache.current),
    // sizeTick stands for the measured map, which is mutated in place
    [doc?.nodes, doc?.layout, selection, sizeTick],
  );
  const edges = useMemo(() => toFlowEdges(doc, selectedEdges), [doc?.nodes, selectedEdges]);

  useEffect(() => {
    setCanvasControl({
      fitView: () => void rf.fitView({ padding: 0.2, duration: 200, maxZoom: 1.2 }),
      center: () => {
        const box = wrapper.current?.getBoundingClientRect();
        const p = rf.screenToFlowPosition({ x: (box?.left ?? 0) + (box?.width ?? 800) / 2, y: (box?.top ?? 0) + (box?.height ?? 600) / 2 });
        return { x: p.x - CARD_WIDTH / 2, y: p.y - CARD_HEIGHT / 2 };
      },
    });
    return () => setCanvasControl(null);
  }, [rf]);

  // A newly opened pipeline is shown whole, once its cards have been measured; an empty
  // one is left alone, so the first drops land where they were dropped.
  const path = useDoc((s) => s.path);
  const initialized = useNodesInitialized();
  const fittedFor = useRef<string | null>(null);
  useEffect(() => {
    if (fittedFor.current === path) return;
    if (!useDoc.getState().doc?.nodes.length) {
      fittedFor.current = path;
      return;
    }
    if (!initialized) return;
    fittedFor.current = path;
    void rf.fitView({ padding: 0.12, maxZoom: 1.1 });
  }, [path, initialized, rf]);

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    const moves: Record<string, Position> = {};
    let sized = false;
    let sel: Set<string> | null = null;
    for (const c of changes) {
      if (c.type === 'dimensions' && c.dimensions) {
        measured.current.set(c.id, c.dimensions);
        sized = true;
      } else if (c.type === 'position' && c.position) {
        moves[c.id] = c.position;
      } else if (c.type === 'select') {
        sel ??= new Set(useDoc.getState().selection);
        if (c.selected) sel.add(c.id);
        else sel.delete(c.id);
      }
      // 'remove' is ignored: deleting goes through the document (and undo), see shortcuts.
    }
    const store = useDoc.getState();
    if (Object.keys(moves).length) store.apply((p) => moveNodes(p, moves), { history: false });
    if (sel) store.setSelection([...sel], useDoc.getState().selectedEdges);
    if (sized) setSizeTick((t) => t + 1);
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    let sel: Set<string> | null = null;
    for (const c of changes) {
      if (c.type === 'select') {
        sel ??= new Set(useDoc.getState().selectedEdges);
        if (c.selected) sel.add(c.id);
        else sel.delete(c.id);
      }
    }
    if (sel) useDoc.getState().setSelection(useDoc.getState().selection, [...sel]);
  }, []);

  const onConnect = useCallback((c: Connection) => {
    const refused = useDoc.getState().tryApply((p) => connect(p, { source: c.source, target: c.target }));
    if (refused) useUi.getState().notify('error', refused);
  }, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(PALETTE_MIME);
      if (!kind || !nodeKindSpec(kind)) return;
      e.preventDefault();
      const at = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const store = useDoc.getState();
      if (!store.doc) return;
      const { pipeline, id } = addNode(store.doc, kind, { x: at.x - CARD_WIDTH / 2, y: at.y - 24 });
      store.apply(() => pipeline, { select: [id] });
    },
    [rf],
  );

  const beginGesture = useCallback(() => useDoc.getState().beginGesture(), []);
  const clearSelection = useCallback(() => useDoc.getState().setSelection([], []), []);

  return (
    <div className="canvas" ref={wrapper} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow<FlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStart={beginGesture}
        onSelectionDragStart={beginGesture}
        onPaneClick={clearSelection}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        snapToGrid
        snapGrid={[8, 8]}
        minZoom={0.2}
        maxZoom={2}
        colorMode={theme}
        defaultEdgeOptions={{ type: 'default' }}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1} />
        <MiniMap<FlowNode> pannable zoomable nodeColor={miniMapColor} nodeStrokeWidth={0} ariaLabel="Pipeline overview" style={{ width: 168, height: 112 }} />
        <Controls showInteractive={false} position="bottom-left" />
      </ReactFlow>
      {doc && doc.nodes.length === 0 && (
        <div className="canvas-empty" aria-live="polite">
          <p>Drag a node from the palette onto the canvas to start.</p>
          <p className="muted">Sources read data; SQL shapes it; checks guard it; outputs publish it.</p>
        </div>
      )}
    </div>
  );
}
