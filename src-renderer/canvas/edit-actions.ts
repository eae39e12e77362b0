import { canvasControl } from './canvas-control';
import { copyNodes, deleteNodes, disconnect, parseClipboard, parseEdgeId, pasteNodes, type Clipboard, type EdgeRef } from '../../shared/pipeline/doc-edits';
import { autoLayout } from './auto-layout';
import { useDoc } from '../document/doc-store';
import { useUi } from '../ui/ui-store';

/** Canvas edits (selection, clipboard, layout, zoom) bound to keys, the toolbar and the desktop menu. */

let clipboard: Clipboard | null = null;
let pasteCount = 0;

export function deleteSelection(): void {
  const s = useDoc.getState();
  if (!s.doc || (!s.selection.length && !s.selectedEdges.length)) return;
  const edges = s.selectedEdges.map(parseEdgeId).filter((e): e is EdgeRef => e !== null);
  const nodes = s.selection;
  s.apply((p) => deleteNodes(disconnect(p, edges), nodes), { select: [] });
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
  pasteCount = 0;
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
  pasteCount++;
  const { pipeline, ids } = pasteNodes(s.doc, clip, { x: 32 * pasteCount, y: 32 * pasteCount });
  s.apply(() => pipeline, { select: ids });
  return true;
}

export function duplicateSelection(): void {
  if (copySelection()) paste();
}

export function layout(): void {
  const s = useDoc.getState();
  if (!s.doc || !s.doc.nodes.length) return;
  s.apply(autoLayout);
  setTimeout(() => canvasControl()?.fitView(), 30);
}

export function fitView(): void {
  canvasControl()?.fitView();
}
