import { useCallback, useMemo, useRef, type RefObject } from 'react';
import type { Position } from '../../shared/pipeline/schema';
import { frameContents, type AnnotationRect } from '../../shared/pipeline/annotation-edits';
import { useDoc } from '../document/doc-store';
import { annotationOf } from './annotation-mapping';
import { cardRects, type MeasuredSize } from './flow-mapping';

/** What a dragged frame carries: the cards and notes wholly inside it when the drag started, where they were then. */
export interface FrameCarry {
  start: Position;
  nodes: Map<string, Position>;
  notes: Map<string, Position>;
}

export interface DragGesture {
  /** A pointer drag is in progress (React Flow reports its moves as it reports the arrow keys' otherwise). */
  dragging(): boolean;
  /** What a moved frame carries: what was inside it at the drag's start, or (arrow keys) what is inside it now. */
  carried(frame: AnnotationRect & { id: string }): FrameCarry | null;
  beginNodeDrag(e: unknown, node: { id: string }, dragged: readonly { id: string }[]): void;
  beginSelectionDrag(e: unknown, dragged: readonly { id: string }[]): void;
  endGesture(): void;
}

/**
 * A drag of cards, notes or frames on the canvas: one undo step (the document's gesture), and
 * each dragged frame's contents taken at its start, so that cards the frame passes over on its
 * way are not picked up.
 */
export function useDragGesture(measured: RefObject<Map<string, MeasuredSize>>): DragGesture {
  const dragging = useRef(false);
  /** The frames being dragged, by annotation id. */
  const carrying = useRef(new Map<string, FrameCarry>());
  const carryOf = useCallback(
    (frame: AnnotationRect): FrameCarry => {
      const d = useDoc.getState().doc;
      const cards = d ? cardRects(d, measured.current) : [];
      const notes = d?.annotations?.notes ?? [];
      const inside = new Set(frameContents(frame, cards));
      const notesInside = new Set(frameContents(frame, notes));
      return {
        start: { x: frame.x, y: frame.y },
        nodes: new Map(cards.filter((c) => inside.has(c.id)).map((c) => [c.id, { x: c.x, y: c.y }])),
        notes: new Map(notes.filter((n) => notesInside.has(n.id)).map((n) => [n.id, { x: n.x, y: n.y }])),
      };
    },
    [measured],
  );
  const beginDrag = useCallback(
    (dragged: readonly { id: string }[]) => {
      dragging.current = true;
      useDoc.getState().beginGesture();
      carrying.current.clear();
      const frames = useDoc.getState().doc?.annotations?.frames ?? [];
      for (const n of dragged) {
        const a = annotationOf(n.id);
        const frame = a?.type === 'frame' ? frames.find((f) => f.id === a.id) : undefined;
        if (frame) carrying.current.set(frame.id, carryOf(frame));
      }
    },
    [carryOf],
  );
  const beginNodeDrag = useCallback((_e: unknown, _node: { id: string }, dragged: readonly { id: string }[]) => beginDrag(dragged), [beginDrag]);
  const beginSelectionDrag = useCallback((_e: unknown, dragged: readonly { id: string }[]) => beginDrag(dragged), [beginDrag]);
  const endGesture = useCallback(() => {
    dragging.current = false;
    carrying.current.clear();
  }, []);
  const isDragging = useCallback(() => dragging.current, []);
  const carried = useCallback((frame: AnnotationRect & { id: string }) => carrying.current.get(frame.id) ?? (dragging.current ? null : carryOf(frame)), [carryOf]);
  // One object for the component's lifetime: callbacks that depend on it are made once.
  return useMemo(() => ({ dragging: isDragging, carried, beginNodeDrag, beginSelectionDrag, endGesture }), [isDragging, carried, beginNodeDrag, beginSelectionDrag, endGesture]);
}
