import type { Node } from '@xyflow/react';
import type { Annotations, Frame, StickyNote } from '../../shared/pipeline/annotations';

/**
 * Notes and frames as React Flow nodes. Their flow ids carry a prefix with a colon, which no
 * node id can hold, so a change React Flow reports is told apart from a card's at once.
 */
export type NoteFlowNode = Node<{ note: StickyNote }, 'note'>;
export type FrameFlowNode = Node<{ frame: Frame }, 'frame'>;
export type AnnotationFlowNode = NoteFlowNode | FrameFlowNode;

export const noteFlowId = (id: string) => `note:${id}`;
export const frameFlowId = (id: string) => `frame:${id}`;

/** The annotation a flow id names, or null for a card. */
export function annotationOf(flowId: string): { type: 'note' | 'frame'; id: string } | null {
  if (flowId.startsWith('note:')) return { type: 'note', id: flowId.slice(5) };
  if (flowId.startsWith('frame:')) return { type: 'frame', id: flowId.slice(6) };
  return null;
}

/**
 * Frames are drawn behind everything (React Flow lifts a selected node by 1000, which still
 * leaves a selected frame at the cards' level, drawn before them), notes above the cards.
 */
const FRAME_Z = -1000;

export interface AnnotationNodeCache {
  byId: Map<string, AnnotationFlowNode>;
}
export const newAnnotationNodeCache = (): AnnotationNodeCache => ({ byId: new Map() });

const placed = (x: number, y: number, extra: object = {}) => ({ transform: 'none', left: x, top: y, ...extra });

/**
 * The frames (largest first, so a frame inside another is drawn over it) and the notes. An
 * object is reused while its annotation and selection are, so React Flow skips it.
 */
export function toAnnotationNodes(a: Annotations | undefined, selected: readonly string[], cache: AnnotationNodeCache): { frames: FrameFlowNode[]; notes: NoteFlowNode[] } {
  const sel = new Set(selected);
  const seen = new Set<string>();
  const reuse = <T extends AnnotationFlowNode>(flowId: string, data: object, isSel: boolean, make: () => T): T => {
    seen.add(flowId);
    const prev = cache.byId.get(flowId);
    const prevData = prev?.data as Record<string, unknown> | undefined;
    if (prev && prevData && Object.values(prevData)[0] === Object.values(data)[0] && !!prev.selected === isSel) return prev as T;
    const node = make();
    cache.byId.set(flowId, node);
    return node;
  };
  const frames = [...(a?.frames ?? [])]
    .sort((p, q) => q.width * q.height - p.width * p.height)
    .map((f) =>
      reuse<FrameFlowNode>(frameFlowId(f.id), { frame: f }, sel.has(f.id), () => ({
        id: frameFlowId(f.id),
        type: 'frame',
        position: { x: f.x, y: f.y },
        // the frame's body lets the pointer through to the pane (pan, box-select); its title and handles take it
        style: placed(f.x, f.y, { pointerEvents: 'none' }),
        width: f.width,
        height: f.height,
        measured: { width: f.width, height: f.height },
        zIndex: FRAME_Z,
        dragHandle: '.frame-title',
        selected: sel.has(f.id),
        ariaLabel: `Frame ${f.title}`,
        data: { frame: f },
      })),
    );
  const notes = (a?.notes ?? []).map((n) =>
    reuse<NoteFlowNode>(noteFlowId(n.id), { note: n }, sel.has(n.id), () => ({
      id: noteFlowId(n.id),
      type: 'note',
      position: { x: n.x, y: n.y },
      style: placed(n.x, n.y),
      width: n.width,
      height: n.height,
      measured: { width: n.width, height: n.height },
      selected: sel.has(n.id),
      ariaLabel: `Note: ${n.text.slice(0, 80) || 'empty'}`,
      data: { note: n },
    })),
  );
  if (cache.byId.size > seen.size) for (const id of [...cache.byId.keys()]) if (!seen.has(id)) cache.byId.delete(id);
  return { frames, notes };
}

/** How far a frame's title stands above the frame (canvas units; annotations.css). */
const FRAME_TITLE_HEIGHT = 24;

/** The boxes the notes and frames take on the canvas, titles included: what fitting the view keeps in it. */
export function annotationRects(a: Annotations | undefined): { x: number; y: number; width: number; height: number }[] {
  return [
    ...(a?.notes ?? []).map((n) => ({ x: n.x, y: n.y, width: n.width, height: n.height })),
    ...(a?.frames ?? []).map((f) => ({ x: f.x, y: f.y - FRAME_TITLE_HEIGHT, width: f.width, height: f.height + FRAME_TITLE_HEIGHT })),
  ];
}
