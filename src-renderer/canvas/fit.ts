import type { Rect } from './paste-place';

/** React Flow's viewport: a flow point p is drawn at (p.x × zoom + x, p.y × zoom + y) of the pane. */
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface FitInput {
  /** Every card, in flow units. */
  cards: readonly Rect[];
  /** The canvas pane, in screen pixels. */
  pane: { width: number; height: number };
  /** What floats over the pane (the overview map, the zoom buttons), in pane pixels. */
  overlays: readonly Rect[];
  /** Space kept free around the cards, in screen pixels. */
  padding: number;
  /** The smallest zoom fitting may choose: the one at which a card's name is still readable. */
  minZoom: number;
  maxZoom: number;
  /** The selected cards: kept in view when the whole pipeline cannot be at a readable zoom. */
  focus?: Rect | null;
}

export function union(rects: readonly Rect[]): Rect | null {
  if (!rects.length) return null;
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  return { x, y, width: Math.max(...rects.map((r) => r.x + r.width)) - x, height: Math.max(...rects.map((r) => r.y + r.height)) - y };
}

const intersects = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The parts of the pane a fitted view may use: all of it, above the overlays, or between them. */
function areas(pane: FitInput['pane'], overlays: readonly Rect[]): Rect[] {
  const out: Rect[] = [{ x: 0, y: 0, width: pane.width, height: pane.height }];
  if (!overlays.length) return out;
  const top = Math.min(...overlays.map((o) => o.y));
  out.push({ x: 0, y: 0, width: pane.width, height: Math.max(0, top) });
  const left = overlays.filter((o) => o.x + o.width / 2 < pane.width / 2);
  const right = overlays.filter((o) => o.x + o.width / 2 >= pane.width / 2);
  const x0 = left.length ? Math.max(...left.map((o) => o.x + o.width)) : 0;
  const x1 = right.length ? Math.min(...right.map((o) => o.x)) : pane.width;
  out.push({ x: x0, y: 0, width: Math.max(0, x1 - x0), height: pane.height });
  return out;
}

/** One axis: centred when it fits, else the focus centred, else aligned to the start (sources are on the left, the first rows at the top). */
function place(start: number, size: number, pad: number, from: number, extent: number, zoom: number, focus: { from: number; extent: number } | null): number {
  const room = size - 2 * pad;
  if (extent * zoom <= room) return start + pad + (room - extent * zoom) / 2 - from * zoom;
  if (focus) return start + size / 2 - (focus.from + focus.extent / 2) * zoom;
  return start + pad - from * zoom;
}

/**
 * The view that shows the cards as large as fits, and no smaller than `minZoom`: a zoom at
 * which names cannot be read is no view of a pipeline. Of the pane's areas (all of it, above
 * the overlays, between them) the one with the largest zoom at which no card lies under an
 * overlay wins. A pipeline too large for the pane at `minZoom` is shown from its start (left,
 * top), or around the selection; the overview map shows the rest.
 */
export function fitViewport(input: FitInput): Viewport | null {
  const bounds = union(input.cards);
  if (!bounds) return null;
  const { padding: pad, minZoom, maxZoom } = input;
  let best: { vp: Viewport; covered: number } | null = null;
  for (const a of areas(input.pane, input.overlays)) {
    if (a.width <= 2 * pad || a.height <= 2 * pad) continue;
    const fits = Math.min((a.width - 2 * pad) / Math.max(bounds.width, 1), (a.height - 2 * pad) / Math.max(bounds.height, 1));
    const zoom = Math.min(maxZoom, Math.max(minZoom, fits));
    const f = input.focus ?? null;
    const vp = {
      zoom,
      x: place(a.x, a.width, pad, bounds.x, bounds.width, zoom, f && { from: f.x, extent: f.width }),
      y: place(a.y, a.height, pad, bounds.y, bounds.height, zoom, f && { from: f.y, extent: f.height }),
    };
    const covered = input.cards.filter((c) => input.overlays.some((o) => intersects(toScreen(c, vp), o))).length;
    if (!best || covered < best.covered || (covered === best.covered && zoom > best.vp.zoom + 1e-9)) best = { vp, covered };
  }
  return best?.vp ?? null;
}

/**
 * How many of `cards` a view shows whole: inside the pane and under no overlay. Fewer than all
 * after a fit means the pipeline is larger than the pane at the readable zoom (the canvas then
 * says so: FitNote.tsx).
 */
export function cardsInView(cards: readonly Rect[], vp: Viewport, pane: FitInput['pane'], overlays: readonly Rect[]): number {
  return cards.filter((c) => {
    const s = toScreen(c, vp);
    const inside = s.x >= -0.5 && s.y >= -0.5 && s.x + s.width <= pane.width + 0.5 && s.y + s.height <= pane.height + 0.5;
    return inside && !overlays.some((o) => intersects(s, o));
  }).length;
}

export const toScreen = (r: Rect, vp: Viewport): Rect => ({ x: r.x * vp.zoom + vp.x, y: r.y * vp.zoom + vp.y, width: r.width * vp.zoom, height: r.height * vp.zoom });

/**
 * The least pan (zoom kept) that brings `target` (flow units) inside the pane with a margin;
 * null when it is in view already. A target larger than the pane is centred.
 */
export function panIntoView(target: Rect, vp: Viewport, pane: FitInput['pane'], margin: number): Viewport | null {
  const s = toScreen(target, vp);
  const axis = (from: number, extent: number, size: number): number => {
    if (extent > size - 2 * margin) return size / 2 - (from + extent / 2);
    if (from < margin) return margin - from;
    if (from + extent > size - margin) return size - margin - (from + extent);
    return 0;
  };
  const dx = axis(s.x, s.width, pane.width);
  const dy = axis(s.y, s.height, pane.height);
  if (Math.abs(dx) < 0.5 && Math.abs(dy) < 0.5) return null;
  return { zoom: vp.zoom, x: vp.x + dx, y: vp.y + dy };
}
