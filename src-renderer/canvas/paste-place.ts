import type { Position } from '../../shared/pipeline/schema';
import { CARD_HEIGHT, CARD_WIDTH } from './auto-layout';

/** Space kept between pasted cards and any other card, in flow units. */
const MARGIN = 24;
/** How far down the search for a free place goes before it settles for the last one tried. */
const TRIES = 60;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box around cards at these places. */
export function cardsBox(at: readonly Position[]): Rect {
  const x = Math.min(...at.map((p) => p.x));
  const y = Math.min(...at.map((p) => p.y));
  return { x, y, width: Math.max(...at.map((p) => p.x)) + CARD_WIDTH - x, height: Math.max(...at.map((p) => p.y)) + CARD_HEIGHT - y };
}

const clear = (a: Position, others: readonly Position[]) =>
  others.every((b) => Math.abs(a.x - b.x) >= CARD_WIDTH + MARGIN || Math.abs(a.y - b.y) >= CARD_HEIGHT + MARGIN);

/**
 * Where pasted cards go, as an offset from the places they were copied from: never on top of
 * a card. While the originals are still where they were copied from (a paste or duplicate in
 * the same pipeline), the copies go right below them, as a group, one group-height (plus a
 * margin) down; elsewhere (another pipeline, the originals moved or deleted) they go to the
 * middle of the view. From there, while any copy would cover a card, the group moves on down
 * by its own height: a second paste lands below the first, and so on.
 */
export function pasteOffset(opts: { copied: readonly Position[]; occupied: readonly Position[]; originalsInPlace: boolean; viewCentre: Position }): Position {
  const { copied, occupied } = opts;
  if (!copied.length) return { x: 0, y: 0 };
  const box = cardsBox(copied);
  const step = box.height + MARGIN;
  const start = opts.originalsInPlace
    ? { x: 0, y: step }
    : { x: Math.round(opts.viewCentre.x - (box.x + box.width / 2)), y: Math.round(opts.viewCentre.y - (box.y + box.height / 2)) };
  let offset = start;
  for (let k = 0; k < TRIES; k++) {
    offset = { x: start.x, y: start.y + k * step };
    const dx = offset.x;
    const dy = offset.y;
    if (copied.every((c) => clear({ x: c.x + dx, y: c.y + dy }, occupied))) break;
  }
  // On the canvas's 8 px grid, as dragged cards are.
  return { x: Math.round(offset.x / 8) * 8, y: Math.round(offset.y / 8) * 8 };
}
