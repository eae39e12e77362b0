import { z } from 'zod';

/**
 * Sticky notes and named frames on the canvas. They say nothing about what a pipeline does, so
 * the file keeps them in its `layout` section (`layout.notes`, `layout.frames`), beside the
 * node positions, where a reviewer's diff already calls everything layout-only. In memory they
 * are the document's `annotations`, lifted out of `layout` on reading (liftAnnotations) and put
 * back on writing (canonical.ts): `layout` itself stays a plain map of node id to position for
 * everything that reads it.
 *
 * A file is untrusted: the caps below keep a hostile one (thousands of notes, huge sizes,
 * megabytes of text) from hanging the canvas, and each refusal names the field.
 */

/** Keys of `layout` that hold annotations, never a node's position (node ids cannot take them). */
export const ANNOTATION_KEYS = ['notes', 'frames'] as const;
export type AnnotationKey = (typeof ANNOTATION_KEYS)[number];
export const isAnnotationKey = (k: string): k is AnnotationKey => (ANNOTATION_KEYS as readonly string[]).includes(k);

export const MAX_NOTES = 500;
export const MAX_FRAMES = 200;
export const MAX_NOTE_TEXT = 4000;
export const MAX_FRAME_TITLE = 120;
/** Where an annotation may sit, in canvas units: far beyond any real canvas, short of float trouble. */
export const MAX_COORD = 1_000_000;
export const NOTE_SIZE = { min: 60, max: 2000 } as const;
export const FRAME_SIZE = { min: 80, max: 20000 } as const;

export const ANNOTATION_COLORS = ['yellow', 'blue', 'green', 'pink', 'grey'] as const;
export type AnnotationColor = (typeof ANNOTATION_COLORS)[number];

const annotationId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'expected an id of letters, digits, "_" or "-" (at most 64)');
const coord = z.number().min(-MAX_COORD, `expected at least ${-MAX_COORD}`).max(MAX_COORD, `expected at most ${MAX_COORD}`);
const size = (lim: { min: number; max: number }) => z.number().min(lim.min, `expected at least ${lim.min}`).max(lim.max, `expected at most ${lim.max}`);
const color = z.enum(ANNOTATION_COLORS);

export const stickyNote = z.strictObject({
  id: annotationId,
  x: coord,
  y: coord,
  width: size(NOTE_SIZE),
  height: size(NOTE_SIZE),
  color: color.default('yellow'),
  text: z.string().max(MAX_NOTE_TEXT, `a note holds at most ${MAX_NOTE_TEXT} characters`),
});
export type StickyNote = z.infer<typeof stickyNote>;

export const frameSpec = z.strictObject({
  id: annotationId,
  x: coord,
  y: coord,
  width: size(FRAME_SIZE),
  height: size(FRAME_SIZE),
  color: color.default('blue'),
  title: z.string().max(MAX_FRAME_TITLE, `a frame's title holds at most ${MAX_FRAME_TITLE} characters`),
});
export type Frame = z.infer<typeof frameSpec>;

export const notesSpec = z.array(stickyNote, { error: 'expected a list of sticky notes' }).max(MAX_NOTES, `at most ${MAX_NOTES} notes`);
export const framesSpec = z.array(frameSpec, { error: 'expected a list of frames' }).max(MAX_FRAMES, `at most ${MAX_FRAMES} frames`);

export const annotationsSpec = z
  .strictObject({ notes: notesSpec.optional(), frames: framesSpec.optional() })
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    for (const key of ANNOTATION_KEYS) {
      (a[key] ?? []).forEach((x, i) => {
        if (seen.has(x.id)) ctx.addIssue({ code: 'custom', path: [key, i, 'id'], message: `duplicate annotation id "${x.id}" (notes and frames share one set of ids)` });
        seen.add(x.id);
      });
    }
  });
export type Annotations = z.infer<typeof annotationsSpec>;

/**
 * A file's object with `layout.notes` and `layout.frames` moved to the in-memory `annotations`
 * (a new object; the input is not changed). Anything not a plain layout object is left for the
 * schema to refuse. A top-level `annotations` is not part of the file format: it is reported
 * as `layout.notes`/`layout.frames` would be, by the caller (see annotationsPathInFile).
 */
export function liftAnnotations<T>(raw: T): T {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const layout = (raw as Record<string, unknown>).layout;
  if (!layout || typeof layout !== 'object' || Array.isArray(layout)) return raw;
  const rest: Record<string, unknown> = {};
  const lifted: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(layout)) {
    if (isAnnotationKey(k)) lifted[k] = v;
    else rest[k] = v;
  }
  if (!Object.keys(lifted).length) return raw;
  return { ...raw, layout: rest, annotations: lifted } as T;
}

/** Where an issue about the in-memory `annotations` is in the file: `layout.notes[2].text`. */
export function annotationsPathInFile(path: readonly PropertyKey[]): PropertyKey[] {
  return path[0] === 'annotations' ? ['layout', ...path.slice(1)] : [...path];
}

/** The annotations as the file writes them: sorted by id, keys in a fixed order; empty lists left out. */
export function canonicalAnnotations(a: Annotations | undefined): Partial<Record<AnnotationKey, Record<string, unknown>[]>> {
  const out: Partial<Record<AnnotationKey, Record<string, unknown>[]>> = {};
  const byId = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((p, q) => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
  const round = (n: number) => Math.round(n);
  if (a?.notes?.length) {
    out.notes = byId(a.notes).map((n) => ({ id: n.id, x: round(n.x), y: round(n.y), width: round(n.width), height: round(n.height), color: n.color, text: n.text }));
  }
  if (a?.frames?.length) {
    out.frames = byId(a.frames).map((f) => ({ id: f.id, x: round(f.x), y: round(f.y), width: round(f.width), height: round(f.height), color: f.color, title: f.title }));
  }
  return out;
}
