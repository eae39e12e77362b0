import { FRAME_SIZE, MAX_COORD, MAX_FRAMES, MAX_FRAME_TITLE, MAX_NOTES, MAX_NOTE_TEXT, NOTE_SIZE, type Annotations, type AnnotationColor, type Frame, type StickyNote } from './annotations';
import type { Pipeline, Position } from './schema';

/**
 * Edits of the notes and frames (annotations.ts), pure like doc-edits.ts: each returns a new
 * document, or the same one when nothing changed. Values are clamped to what the file format
 * accepts, so no edit can make a document the schema would refuse.
 */

export type AnnotationType = 'note' | 'frame';
export interface AnnotationRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, Number.isFinite(v) ? v : min));
const coord = (v: number) => Math.round(clamp(v, -MAX_COORD, MAX_COORD));

const listOf = (a: Annotations | undefined, type: AnnotationType) => (type === 'note' ? (a?.notes ?? []) : (a?.frames ?? []));

function withLists(p: Pipeline, notes: StickyNote[], frames: Frame[]): Pipeline {
  const annotations: Annotations = {};
  if (notes.length) annotations.notes = notes;
  if (frames.length) annotations.frames = frames;
  const next: Pipeline = { ...p, annotations };
  if (!notes.length && !frames.length) delete next.annotations;
  return next;
}

/** An id no note or frame has yet: `note-3`, `frame-2`. */
export function newAnnotationId(p: Pipeline, type: AnnotationType): string {
  const used = new Set([...listOf(p.annotations, 'note'), ...listOf(p.annotations, 'frame')].map((x) => x.id));
  for (let i = 1; ; i++) if (!used.has(`${type}-${i}`)) return `${type}-${i}`;
}

export type AddResult = { ok: true; pipeline: Pipeline; id: string } | { ok: false; message: string };

export function addNote(p: Pipeline, at: Position, text = '', color: AnnotationColor = 'yellow'): AddResult {
  const notes = listOf(p.annotations, 'note') as StickyNote[];
  if (notes.length >= MAX_NOTES) return { ok: false, message: `A pipeline holds at most ${MAX_NOTES} notes.` };
  const id = newAnnotationId(p, 'note');
  const note: StickyNote = { id, x: coord(at.x), y: coord(at.y), width: 220, height: 140, color, text: text.slice(0, MAX_NOTE_TEXT) };
  return { ok: true, pipeline: withLists(p, [...notes, note], listOf(p.annotations, 'frame') as Frame[]), id };
}

/** A frame around `box` (the selected cards, or a default-sized area), with room for its title. */
export function addFrame(p: Pipeline, box: AnnotationRect, title = 'Frame', color: AnnotationColor = 'blue'): AddResult {
  const frames = listOf(p.annotations, 'frame') as Frame[];
  if (frames.length >= MAX_FRAMES) return { ok: false, message: `A pipeline holds at most ${MAX_FRAMES} frames.` };
  const id = newAnnotationId(p, 'frame');
  const frame: Frame = {
    id,
    x: coord(box.x),
    y: coord(box.y),
    width: Math.round(clamp(box.width, FRAME_SIZE.min, FRAME_SIZE.max)),
    height: Math.round(clamp(box.height, FRAME_SIZE.min, FRAME_SIZE.max)),
    color,
    title: title.slice(0, MAX_FRAME_TITLE),
  };
  return { ok: true, pipeline: withLists(p, listOf(p.annotations, 'note') as StickyNote[], [...frames, frame]), id };
}

export interface AnnotationPatch {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  color?: AnnotationColor;
  text?: string;
  title?: string;
}

/** Changes one note or frame; an id that is not there changes nothing. */
export function updateAnnotation(p: Pipeline, type: AnnotationType, id: string, patch: AnnotationPatch): Pipeline {
  const lim = type === 'note' ? NOTE_SIZE : FRAME_SIZE;
  const fix = <T extends StickyNote | Frame>(x: T): T => {
    const next = { ...x };
    if (patch.x !== undefined) next.x = coord(patch.x);
    if (patch.y !== undefined) next.y = coord(patch.y);
    if (patch.width !== undefined) next.width = Math.round(clamp(patch.width, lim.min, lim.max));
    if (patch.height !== undefined) next.height = Math.round(clamp(patch.height, lim.min, lim.max));
    if (patch.color !== undefined) next.color = patch.color;
    if (patch.text !== undefined && 'text' in next) (next as StickyNote).text = patch.text.slice(0, MAX_NOTE_TEXT);
    if (patch.title !== undefined && 'title' in next) (next as Frame).title = patch.title.slice(0, MAX_FRAME_TITLE);
    return next;
  };
  const list = listOf(p.annotations, type);
  const at = list.findIndex((x) => x.id === id);
  if (at < 0) return p;
  const before = list[at]!;
  const after = fix(before);
  if ((Object.keys(after) as (keyof typeof after)[]).every((k) => after[k] === before[k])) return p;
  const next = list.map((x, i) => (i === at ? after : x));
  return type === 'note' ? withLists(p, next as StickyNote[], listOf(p.annotations, 'frame') as Frame[]) : withLists(p, listOf(p.annotations, 'note') as StickyNote[], next as Frame[]);
}

/** Removes notes and frames by id; the nodes a frame held stay where they are. */
export function removeAnnotations(p: Pipeline, ids: readonly string[]): Pipeline {
  if (!ids.length) return p;
  const drop = new Set(ids);
  const notes = listOf(p.annotations, 'note') as StickyNote[];
  const frames = listOf(p.annotations, 'frame') as Frame[];
  const keptNotes = notes.filter((x) => !drop.has(x.id));
  const keptFrames = frames.filter((x) => !drop.has(x.id));
  if (keptNotes.length === notes.length && keptFrames.length === frames.length) return p;
  return withLists(p, keptNotes, keptFrames);
}

/**
 * Moves notes and frames to new top-left corners (a drag's tick), in one edit with the node
 * moves that go with them (the cards inside a dragged frame).
 */
export function moveAnnotations(p: Pipeline, moves: Readonly<Record<string, Position>>, nodeMoves: Readonly<Record<string, Position>> = {}): Pipeline {
  const move = <T extends StickyNote | Frame>(x: T): T => {
    const to = moves[x.id];
    return to && (coord(to.x) !== x.x || coord(to.y) !== x.y) ? { ...x, x: coord(to.x), y: coord(to.y) } : x;
  };
  const notes = listOf(p.annotations, 'note') as StickyNote[];
  const frames = listOf(p.annotations, 'frame') as Frame[];
  const movedNotes = notes.map(move);
  const movedFrames = frames.map(move);
  const anyAnnotation = movedNotes.some((x, i) => x !== notes[i]) || movedFrames.some((x, i) => x !== frames[i]);
  const nodeIds = Object.keys(nodeMoves).filter((id) => p.layout[id] || p.nodes.some((n) => n.id === id));
  if (!anyAnnotation && !nodeIds.length) return p;
  let next = anyAnnotation ? withLists(p, movedNotes, movedFrames) : p;
  if (nodeIds.length) {
    const layout = { ...next.layout };
    for (const id of nodeIds) layout[id] = { x: nodeMoves[id]!.x, y: nodeMoves[id]!.y };
    next = { ...next, layout };
  }
  return next;
}

/** True when `inner` lies wholly within `outer`. */
export const within = (inner: AnnotationRect, outer: AnnotationRect): boolean =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

/**
 * What a frame carries when it is dragged: the cards (and notes) wholly inside it when the drag
 * starts. Decided once, at the start: a card the frame passes over on the way is not picked up.
 */
export function frameContents(frame: AnnotationRect, items: readonly (AnnotationRect & { id: string })[]): string[] {
  return items.filter((r) => within(r, frame)).map((r) => r.id);
}

/** The box of some rectangles with a margin around them (and room for a frame's title above). */
export function boxAround(rects: readonly AnnotationRect[], margin = 32, title = 28): AnnotationRect | null {
  if (!rects.length) return null;
  const x0 = Math.min(...rects.map((r) => r.x));
  const y0 = Math.min(...rects.map((r) => r.y));
  const x1 = Math.max(...rects.map((r) => r.x + r.width));
  const y1 = Math.max(...rects.map((r) => r.y + r.height));
  return { x: x0 - margin, y: y0 - margin - title, width: x1 - x0 + 2 * margin, height: y1 - y0 + 2 * margin + title };
}
