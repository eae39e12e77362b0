import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  useStoreApi,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type JSX } from 'react';
import { nodeKindSpec } from '../../shared/nodes/registry';
import type { Position } from '../../shared/pipeline/schema';
import { FIT_MIN_ZOOM, useCanvasView } from './canvas-view-store';
import { addNode, connect, moveNodes } from '../../shared/pipeline/doc-edits';
import { updateAnnotation } from '../../shared/pipeline/annotation-edits';
import { useDoc } from '../document/doc-store';
import { useUi } from '../ui/ui-store';
import { setCanvasControl } from './canvas-control';
import { ConnectPicker } from './ConnectPicker';
import { EdgeLayer, LARGE_PIPELINE } from './EdgeLayer';
import { EdgeStops } from './EdgeStops';
import { cardRects, newFlowEdgeCache, newFlowNodeCache, toFlowEdges, toFlowNodes, type MeasuredSize } from './flow-mapping';
import { NodeCard, type FlowNode } from './NodeCard';
import { NodeMenu } from './NodeMenu';
import { useNodeMenu } from './node-menu-state';
import { useDragGesture } from './frame-carry';
import type { RunScope } from '../run/run-scope';
import { moveAnnotations } from '../../shared/pipeline/annotation-edits';
import { annotationOf, annotationRects, newAnnotationNodeCache, toAnnotationNodes, type AnnotationFlowNode } from './annotation-mapping';
import { resizeGesture } from './annotation-actions';
import { FrameNode } from './FrameNode';
import { NoteNode } from './NoteNode';
import './annotations.css';
import { OverviewMap } from './OverviewMap';
import { useReview } from '../git/review-store';
import { ExplainPanel } from '../lineage/ExplainPanel';
import { LineagePanel } from '../lineage/LineagePanel';
import { ReviewLegendItems } from '../git/ReviewLegend';
import { CARD_HEIGHT, CARD_WIDTH } from './auto-layout';
import { cardsInView, fitViewport, panIntoView, union, type Viewport } from './fit';
import { FitIcon, FitNote } from './FitNote';
import { shortcutLabel } from '../ui/keys';
import './canvas.css';

/** Defined once: React Flow re-mounts every node when this object changes. */
const nodeTypes = { weir: NodeCard, note: NoteNode, frame: FrameNode };

/** Everything React Flow draws: the cards, and the notes and frames around them. */
type CanvasNode = FlowNode | AnnotationFlowNode;

export const PALETTE_MIME = 'application/x-weir-kind';

/** A fitted view: a margin around the cards (screen pixels), never larger than life (about). */
const FIT_PADDING = 24;
const FIT_MAX_ZOOM = 1.1;
/** How close to the pane's edge a card that must be in view may come (screen pixels). */
const IN_VIEW_MARGIN = 24;

/** What floats over the pane (the overview map, the zoom buttons), in pane pixels. */
function overlaysOf(el: HTMLElement): { x: number; y: number; width: number; height: number }[] {
  const box = el.getBoundingClientRect();
  return [...el.querySelectorAll('.react-flow__panel')]
    .map((p) => p.getBoundingClientRect())
    .filter((r) => r.width > 0 && r.height > 0)
    .map((r) => ({ x: r.left - box.left, y: r.top - box.top, width: r.width, height: r.height }));
}

/** React Flow's edges of a large pipeline: none, the canvas draws them (see EdgeLayer). One array, so it never changes. */
const NO_EDGES: Edge[] = [];

/** `runScoped`: run from here / to here / this node, from a card's context menu (the shell saves first). */
export function Canvas({ runScoped }: { runScoped?: (nodeId: string, scope: RunScope) => void }): JSX.Element {
  const doc = useDoc((s) => s.doc);
  const reviewed = useReview((s) => s.phase === 'done');
  const selection = useDoc((s) => s.selection);
  const selectedEdges = useDoc((s) => s.selectedEdges);
  const theme = useUi((s) => s.theme);
  const compact = useCanvasView((s) => s.compact);
  const rf = useReactFlow();
  const flowStore = useStoreApi<CanvasNode>();
  const annotationSelection = useCanvasView((s) => s.selectedAnnotations);
  const annotationCache = useRef(newAnnotationNodeCache());
  /** The pointer's last place over the canvas (client pixels), for "add at the cursor". */
  const pointerAt = useRef<{ x: number; y: number } | null>(null);
  const measured = useRef(new Map<string, MeasuredSize>());
  const cache = useRef(newFlowNodeCache());
  const edgeCache = useRef(newFlowEdgeCache());
  const [sizeTick, setSizeTick] = useState(0);
  const gesture = useDragGesture(measured);
  const { menu, closeMenu, onNodeContextMenu } = useNodeMenu(Boolean(runScoped));
  const wrapper = useRef<HTMLDivElement>(null);

  const nodes = useMemo(
    () => toFlowNodes(doc, selection, measured.current, cache.current),
    // sizeTick stands for the measured map, which is mutated in place
    [doc?.nodes, doc?.layout, selection, sizeTick],
  );
  const edges = useMemo(() => toFlowEdges(doc, selectedEdges, edgeCache.current), [doc?.nodes, selectedEdges]);
  const large = nodes.length >= LARGE_PIPELINE;
  const annotationNodes = useMemo(() => toAnnotationNodes(doc?.annotations, annotationSelection, annotationCache.current), [doc?.annotations, annotationSelection]);
  // Frames first (behind), then the cards, then the notes; the cards' own array when there are no annotations.
  const flowNodes = useMemo<CanvasNode[]>(
    () => (annotationNodes.frames.length || annotationNodes.notes.length ? [...annotationNodes.frames, ...nodes, ...annotationNodes.notes] : nodes),
    [annotationNodes, nodes],
  );

  // The one subscriber to React Flow's viewport on behalf of the cards (see canvas-view-store).
  useLayoutEffect(() => {
    const { setZoom } = useCanvasView.getState();
    setZoom(flowStore.getState().transform[2]);
    return flowStore.subscribe((s) => setZoom(s.transform[2]));
  }, [flowStore]);

  /**
   * The view fitting last chose. While the view is still that one (no pan or zoom since, by
   * wheel, drag, the buttons or a reveal), a change of the pane's size (the bottom panel opened,
   * a side panel collapsed) fits again.
   */
  const fittedView = useRef<Viewport | null>(null);
  const isFitted = useCallback((): boolean => {
    const f = fittedView.current;
    const v = rf.getViewport();
    return !!f && Math.abs(f.zoom - v.zoom) < 1e-3 && Math.abs(f.x - v.x) < 1 && Math.abs(f.y - v.y) < 1;
  }, [rf]);
  const fitNow = useCallback((): Viewport | null => {
    const d = useDoc.getState().doc;
    const el = wrapper.current;
    if (!d || !el || !el.clientWidth || !el.clientHeight) return null;
    const { selection } = useDoc.getState();
    const cards = cardRects(d, measured.current);
    const pane = { width: el.clientWidth, height: el.clientHeight };
    const overlays = overlaysOf(el);
    const vp = fitViewport({
      // the notes and frames count as what is to be seen too (a frame's title sits above it)
      cards: [...cards, ...annotationRects(d.annotations)],
      pane,
      overlays,
      padding: FIT_PADDING,
      minZoom: FIT_MIN_ZOOM,
      maxZoom: FIT_MAX_ZOOM,
      focus: selection.length ? union(cardRects(d, measured.current, selection)) : null,
    });
    useCanvasView.getState().setFitted(vp && { view: vp, inView: cardsInView(cards, vp, pane, overlays), total: cards.length, of: { nodes: d.nodes, layout: d.layout } });
    return vp;
  }, []);
  const fit = useCallback(
    (duration = 0): boolean => {
      const vp = fitNow();
      if (!vp) return false;
      void rf.setViewport(vp, duration ? { duration } : undefined);
      fittedView.current = vp;
      return true;
    },
    [fitNow, rf],
  );
  /** Pans (zoom kept) so that these cards are inside the pane. */
  const show = useCallback(
    (ids: readonly string[]) => {
      const d = useDoc.getState().doc;
      const el = wrapper.current;
      const target = d && ids.length ? union(cardRects(d, measured.current, ids)) : null;
      if (!target || !el || !el.clientWidth || !el.clientHeight) return;
      const next = panIntoView(target, rf.getViewport(), { width: el.clientWidth, height: el.clientHeight }, IN_VIEW_MARGIN);
      if (next) void rf.setViewport(next, { duration: 150 });
    },
    [rf],
  );

  const fitWithAnimation = useCallback(() => void fit(200), [fit]);

  useEffect(() => {
    setCanvasControl({
      fitView: fitWithAnimation,
      center: () => {
        const box = wrapper.current?.getBoundingClientRect();
        const p = rf.screenToFlowPosition({ x: (box?.left ?? 0) + (box?.width ?? 800) / 2, y: (box?.top ?? 0) + (box?.height ?? 600) / 2 });
        return { x: p.x - CARD_WIDTH / 2, y: p.y - CARD_HEIGHT / 2 };
      },
      reveal: (nodeId) => {
        const at = useDoc.getState().doc?.layout[nodeId];
        if (at) void rf.setCenter(at.x + CARD_WIDTH / 2, at.y + CARD_HEIGHT / 2, { zoom: Math.max(rf.getZoom(), 0.8), duration: 200 });
      },
      show,
      pointer: () => (pointerAt.current ? rf.screenToFlowPosition(pointerAt.current) : null),
      cardRects: (ids) => {
        const d = useDoc.getState().doc;
        return d ? cardRects(d, measured.current, ids) : [];
      },
    });
    return () => setCanvasControl(null);
  }, [rf, fitWithAnimation, show]);

  // When the pane changes size (the bottom panel opens or is resized, a side panel collapses,
  // the window) a fitted view is fitted again; one the user has moved keeps its zoom, and the
  // selected nodes are brought back into view if they left it.
  useEffect(() => {
    const el = wrapper.current;
    if (!el) return;
    let last = { width: el.clientWidth, height: el.clientHeight };
    const observer = new ResizeObserver(() => {
      const now = { width: el.clientWidth, height: el.clientHeight };
      if (now.width === last.width && now.height === last.height) return;
      last = now;
      if (!now.width || !now.height) return;
      if (isFitted()) fit();
      else show(useDoc.getState().selection);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [fit, show, isFitted]);

  // A newly opened pipeline is shown whole; an empty one is left alone, so the first drops
  // land where they were dropped. The view is fitted to the layout before React Flow gets
  // the new nodes (its own effect hands them over after this layout effect), so the cards
  // are first rendered at the zoom they are shown at: fitting after they are measured would
  // render every card a second time (zoomed out, a card is compact).
  const path = useDoc((s) => s.path);
  const fittedFor = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (fittedFor.current === path) return;
    const d = useDoc.getState().doc;
    if (!d || !d.nodes.length) {
      fittedFor.current = path;
      fittedView.current = null;
      return;
    }
    // The pane as laid out now (fitNow reads the wrapper): React Flow's own record of its size
    // follows a resize observer, a step behind a commit that also changed the panels around it.
    if (fit()) fittedFor.current = path; // else not laid out yet: fitted below, once the cards are measured
  }, [path, fit]);
  const initialized = useNodesInitialized();
  useEffect(() => {
    if (fittedFor.current === path || !initialized) return;
    fittedFor.current = path;
    fit();
  }, [path, initialized, fit]);

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    const moves: Record<string, Position> = {};
    const annotationMoves: Record<string, Position> = {};
    const sizes: { type: 'note' | 'frame'; id: string; width: number; height: number }[] = [];
    let annotationSel: Set<string> | null = null;
    let sized = false;
    let sel: Set<string> | null = null;
    for (const c of changes) {
      const annotation = 'id' in c ? annotationOf(c.id) : null;
      if (annotation) {
        if (c.type === 'position' && c.position) annotationMoves[annotation.id] = c.position;
        else if (c.type === 'dimensions' && c.dimensions && c.setAttributes) sizes.push({ ...annotation, ...c.dimensions });
        else if (c.type === 'select') {
          annotationSel ??= new Set(useCanvasView.getState().selectedAnnotations);
          if (c.selected) annotationSel.add(annotation.id);
          else annotationSel.delete(annotation.id);
        }
        continue;
      }
      if (c.type === 'dimensions' && c.dimensions) {
        const kind = useDoc.getState().byId.get(c.id)?.kind;
        if (kind) measured.current.set(c.id, { ...c.dimensions, kind });
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
    const movedAnnotations = Object.keys(annotationMoves);
    // A frame moved carries what is inside it: what was inside at the drag's start, or (arrow
    // keys) what is inside it now.
    for (const id of movedAnnotations) {
      const frame = store.doc?.annotations?.frames?.find((f) => f.id === id);
      if (!frame) continue;
      const carry = gesture.carried(frame);
      if (!carry) continue;
      const dx = annotationMoves[id]!.x - carry.start.x;
      const dy = annotationMoves[id]!.y - carry.start.y;
      for (const [n, at] of carry.nodes) moves[n] ??= { x: at.x + dx, y: at.y + dy };
      for (const [n, at] of carry.notes) annotationMoves[n] ??= { x: at.x + dx, y: at.y + dy };
    }
    const moved = Object.keys(moves);
    // A drag's ticks are one undo step (beginGesture); a move outside a drag is the arrow keys
    // on selected cards, and a burst of key presses on the same cards is one step too.
    const during = gesture.dragging() || resizeGesture.active ? { history: false } : { coalesce: `keys-move:${[...moved, ...movedAnnotations].sort().join(',')}` };
    if (movedAnnotations.length) store.apply((p) => moveAnnotations(p, annotationMoves, moves), during);
    else if (moved.length) store.apply((p) => moveNodes(p, moves), during);
    for (const z of sizes) store.apply((p) => updateAnnotation(p, z.type, z.id, { width: z.width, height: z.height }), resizeGesture.active ? { history: false } : {});
    if (annotationSel) useCanvasView.getState().setSelectedAnnotations([...annotationSel]);
    if (sel) store.setSelection([...sel], useDoc.getState().selectedEdges);
    if (sized) setSizeTick((t) => t + 1);
  }, [gesture]);

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

  // The viewport is not made a compositor layer of its own while it moves (will-change:
  // transform): with the cards at the 35 % a fit takes, the cards overlapping that layer were
  // split into a layer per row, and each frame of a pan re-layerized them all (1000 nodes: a
  // frame 5x slower than with the viewport painted with the page).

  const clearSelection = useCallback(() => {
    useDoc.getState().setSelection([], []);
    useCanvasView.getState().setSelectedAnnotations([]);
  }, []);

  return (
    <div
      className="canvas"
      ref={wrapper}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onPointerMove={(e) => (pointerAt.current = { x: e.clientX, y: e.clientY })}
      onPointerLeave={() => (pointerAt.current = null)}
      data-testid="canvas"
    >
      <ReactFlow<CanvasNode>
        nodes={flowNodes}
        edges={large ? NO_EDGES : edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStart={gesture.beginNodeDrag}
        onSelectionDragStart={gesture.beginSelectionDrag}
        onNodeDragStop={gesture.endGesture}
        onSelectionDragStop={gesture.endGesture}
        onPaneClick={clearSelection}
        onNodeContextMenu={onNodeContextMenu}
        deleteKeyCode={null}
        edgesFocusable={false}
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
        {large ? <EdgeLayer nodes={nodes} edges={edges} /> : <EdgeStops nodes={nodes} edges={edges} />}
        {/* Zoomed out, the dots would be specks a few pixels apart, thousands of them redrawn
            on every frame of a pan; the cards' grid is plain enough there without them. */}
        {!compact && <Background variant={BackgroundVariant.Dots} gap={16} size={1} />}
        <OverviewMap nodes={nodes} />
        {/* React Flow's own fit button queues its fit (minimum zoom 0.2) after ours and wins: ours instead. */}
        <Controls showInteractive={false} showFitView={false} position="bottom-left">
          <ControlButton className="react-flow__controls-fitview" onClick={fitWithAnimation} title={`Zoom to fit (${shortcutLabel('shift+1')})`} aria-label="Zoom to fit">
            <FitIcon />
          </ControlButton>
        </Controls>
      </ReactFlow>
      <FitNote />
      <ConnectPicker />
      {menu && runScoped && <NodeMenu menu={menu} onClose={closeMenu} onRun={runScoped} />}
      <LineagePanel />
      <ExplainPanel />
      {/* Not a React Flow panel: fitting keeps cards clear of those, and this strip would cost the view its zoom. */}
      {reviewed && (
        <div className="rv-canvas-legend" data-testid="review-legend" aria-label="Review marks">
          <b>Review</b>
          <ReviewLegendItems />
        </div>
      )}
      {doc && doc.nodes.length === 0 && (
        <div className="canvas-empty" aria-live="polite">
          <p>Drag a node from the palette onto the canvas to start.</p>
          <p className="muted">Sources read data; SQL shapes it; checks guard it; outputs publish it.</p>
        </div>
      )}
    </div>
  );
}
