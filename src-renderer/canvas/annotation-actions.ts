import { addFrame, addNote, boxAround, removeAnnotations, updateAnnotation, type AnnotationPatch, type AnnotationType } from '../../shared/pipeline/annotation-edits';
import type { Position } from '../../shared/pipeline/schema';
import { useDoc } from '../document/doc-store';
import { useUi } from '../ui/ui-store';
import { canvasControl } from './canvas-control';
import { useCanvasView } from './canvas-view-store';

/** Notes and frames: added, changed and removed through the document, so undo covers them. */

/** Adds a note at `at` (flow units), else where the pointer is over the canvas, else the view's centre; selects it. */
export function addNoteAt(at?: Position): string | null {
  const s = useDoc.getState();
  if (!s.doc) return null;
  const where = at ?? canvasControl()?.pointer() ?? canvasControl()?.center() ?? { x: 0, y: 0 };
  const r = addNote(s.doc, where);
  if (!r.ok) {
    useUi.getState().notify('error', r.message);
    return null;
  }
  s.apply(() => r.pipeline, { select: [] });
  useCanvasView.getState().setSelectedAnnotations([r.id]);
  return r.id;
}

/** Adds a frame around the selected nodes (or an empty one in the middle of the view); selects it. */
export function addFrameAroundSelection(title = 'Frame'): string | null {
  const s = useDoc.getState();
  if (!s.doc) return null;
  const control = canvasControl();
  const around = s.selection.length && control ? boxAround(control.cardRects(s.selection)) : null;
  const centre = control?.center() ?? { x: 0, y: 0 };
  const box = around ?? { x: centre.x - 120, y: centre.y - 120, width: 480, height: 320 };
  const r = addFrame(s.doc, box, title);
  if (!r.ok) {
    useUi.getState().notify('error', r.message);
    return null;
  }
  s.apply(() => r.pipeline, { select: [] });
  useCanvasView.getState().setSelectedAnnotations([r.id]);
  return r.id;
}

/** Changes a note or frame; text typed in a burst is one undo step. */
export function changeAnnotation(type: AnnotationType, id: string, patch: AnnotationPatch, coalesce?: string): void {
  useDoc.getState().apply((p) => updateAnnotation(p, type, id, patch), coalesce ? { coalesce } : {});
}

/** Removes the selected notes and frames (a frame's nodes stay). */
export function removeSelectedAnnotations(): boolean {
  const ids = useCanvasView.getState().selectedAnnotations;
  if (!ids.length) return false;
  useDoc.getState().apply((p) => removeAnnotations(p, ids));
  useCanvasView.getState().setSelectedAnnotations([]);
  return true;
}

/**
 * A resize by a note's or frame's handles is in progress: its ticks are one undo step (begun
 * here), as a drag's are.
 */
export const resizeGesture = { active: false };
export function beginResize(): void {
  resizeGesture.active = true;
  useDoc.getState().beginGesture();
}
export function endResize(): void {
  resizeGesture.active = false;
}
