import { canvasControl } from './canvas-control';
import { removeAnnotations } from '../../shared/pipeline/annotation-edits';
import { copyNodes, deleteNodes, disconnect, moveNodes, parseClipboard, parseEdgeId, pasteNodes, type Clipboard, type EdgeRef } from '../../shared/pipeline/doc-edits';
import { CARD_HEIGHT, CARD_WIDTH } from './auto-layout';
import { elkAutoLayout } from './elk-layout';
import { positionOf } from './flow-mapping';
import { cardsBox, pasteOffset } from './paste-place';
import { useCanvasView } from './canvas-view-store';
import { useDoc } from '../document/doc-store';
import { useUi } from '../ui/ui-store';

/** Canvas edits (selection, clipboard, layout, zoom) bound to keys, the toolbar and the desktop menu. */

let clipboard: Clipboard | null = null;

/** Deletes the selected nodes, edges, notes and frames (a frame's nodes stay: they are not the frame's). */
export function deleteSelection(): void {
  const s = useDoc.getState();
  const annotations = useCanvasView.getState().selectedAnnotations;
  if (!s.doc || (!s.selection.length && !s.selectedEdges.length && !annotations.length)) return;
  const edges = s.selectedEdges.map(parseEdgeId).filter((e): e is EdgeRef => e !== null);
  const nodes = s.selection;
  s.apply((p) => removeAnnotations(deleteNodes(disconnect(p, edges), nodes), annotations), { select: [] });
  useCanvasView.getState().setSelectedAnnotations([]);
}

export function selectAll(): void {
  const s = useDoc.getState();
  if (s.doc) s.setSelection(s.doc.nodes.map((n) => n.id));
}

/** Copies the selected nodes; returns the clipboard text (for the system clipboard too). */
export function copySelection(): string | null {
  const s = useDoc.getState();
  if (!s.doc) return null;
  const clip = copyNodes(s.doc, s.selection);
  if (!clip) return null;
  clipboard = clip;
  return JSON.stringify(clip);
}

export function cutSelection(): string | null {
  const text = copySelection();
  if (text) deleteSelection();
  return text;
}

/** Pastes the given clipboard text (from another window) or what this window copied last. */
export function paste(text?: string): boolean {
  const s = useDoc.getState();
  const clip = (text ? parseClipboard(text) : null) ?? clipboard;
  if (!s.doc || !clip) return false;
  const doc = s.doc;
  const copied = clip.nodes.map((n) => clip.layout[n.id] ?? { x: 0, y: 0 });
  const originalsInPlace = clip.nodes.every((n) => {
    const at = doc.layout[n.id];
    const was = clip.layout[n.id];
    return s.byId.get(n.id)?.name === n.name && !!at && !!was && at.x === was.x && at.y === was.y;
  });
  // center() is where a card centred in the view would have its top-left corner.
  const centred = canvasControl()?.center() ?? cardsBox(copied);
  const offset = pasteOffset({
    copied,
    occupied: doc.nodes.map((n, i) => positionOf(doc, n, i)),
    originalsInPlace,
    viewCentre: { x: centred.x + CARD_WIDTH / 2, y: centred.y + CARD_HEIGHT / 2 },
  });
  const { pipeline, ids } = pasteNodes(doc, clip, offset);
  s.apply(() => pipeline, { select: ids });
  canvasControl()?.show(ids);
  return true;
}

export function duplicateSelection(): void {
  if (copySelection()) paste();
}

/**
 * Lays the pipeline out again with ELK (see elk-layout.ts): one undo step. ELK answers
 * asynchronously; an edit made meanwhile is kept, only the positions are replaced.
 */
export function layout(): void {
  void relayout();
}

async function relayout(): Promise<void> {
  const { doc, path } = useDoc.getState();
  if (!doc || !doc.nodes.length) return;
  const positions = await elkAutoLayout(doc);
  const s = useDoc.getState();
  if (!s.doc || s.path !== path) return; // another pipeline was opened meanwhile
  s.apply((p) => moveNodes(p, positions));
  setTimeout(() => canvasControl()?.fitView(), 30);
}

export function fitView(): void {
  canvasControl()?.fitView();
}

/**
 * Connecting by keyboard: opens the list of nodes the focused card (or else the one selected
 * node) can feed (ConnectPicker.tsx). With neither, says what to do instead.
 */
export function startConnect(): void {
  const s = useDoc.getState();
  if (!s.doc) return;
  const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('.react-flow__node')?.dataset.id;
  const from = focused ?? (s.selection.length === 1 ? s.selection[0] : undefined);
  if (!from || !s.byId.has(from)) {
    useUi.getState().notify('info', 'Select one node to connect from, then press C.');
    return;
  }
  useCanvasView.getState().setConnectFrom(from);
}
