/**
 * Shortens a one-line text with "…" so that it fits a width, measured with the font it is
 * drawn in. Zoomed out, a card's name is shortened this way instead of by CSS
 * `overflow: hidden; text-overflow: ellipsis`: every element that clips is a clip node in
 * Chromium's paint property tree, and with 1000 cards those nodes made each frame of a pan
 * re-layerize thousands of paint chunks (80 ms a frame, figure 7 of `npm run bench`).
 */
export type MeasureText = (text: string) => number;

const ELLIPSIS = '…';

/** The longest prefix of `text` (plus "…") that `measure` says fits `width`; the text itself when it fits. */
export function fitText(text: string, width: number, measure: MeasureText): string {
  if (measure(text) <= width) return text;
  const chars = Array.from(text); // code points: never cut a surrogate pair in two
  let lo = 0;
  let hi = chars.length - 1;
  // Binary search for the longest prefix that fits with the ellipsis.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(chars.slice(0, mid).join('') + ELLIPSIS) <= width) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('').trimEnd() + ELLIPSIS;
}

const memo = new Map<string, string>();
let context: CanvasRenderingContext2D | null | undefined;

/**
 * `fitText` measured with a canvas in the page's own font, remembered per font, width and
 * text. A canvas cannot draw tabular figures, so with `tabularNums` every digit is measured
 * as a 0 (a tabular figure is as wide as the font's 0 in the fonts the app uses).
 */
export function fitTextInPage(text: string, width: number, font: string, tabularNums = false): string {
  const key = `${font}\u0000${width}\u0000${tabularNums ? 't' : 'p'}\u0000${text}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  context ??= document.createElement('canvas').getContext('2d');
  if (!context) return text;
  const ctx = context;
  ctx.font = font;
  const fitted = fitText(text, width, (t) => ctx.measureText(tabularNums ? t.replace(/[0-9]/g, '0') : t).width);
  if (memo.size > 10_000) memo.clear();
  memo.set(key, fitted);
  return fitted;
}
