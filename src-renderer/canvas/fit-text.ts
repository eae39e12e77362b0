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

/** Characters after which a name may break onto its second line. */
const BREAK_AFTER = new Set(['_', '-', '.', ' ']);

/**
 * A name on at most two lines, broken after an underscore (or `-`, `.`, space) where it can be:
 * the latest such break whose rest fits the second line whole; else the latest one in the
 * second half of what fits the first line; else inside a word, the first line as long as fits.
 * A second line that still does not fit is shortened with "…". The lines joined are always a
 * prefix of the text (plus "…" when shortened).
 */
export function fitTwoLines(text: string, width: number, measure: MeasureText): string[] {
  if (measure(text) <= width) return [text];
  const chars = Array.from(text);
  let lo = 1;
  let hi = chars.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(chars.slice(0, mid).join('')) <= width) lo = mid;
    else hi = mid - 1;
  }
  const breaks: number[] = [];
  for (let i = lo - 1; i >= 1; i--) if (BREAK_AFTER.has(chars[i]!)) breaks.push(i + 1);
  const cut =
    breaks.find((b) => measure(chars.slice(b).join('')) <= width) ?? breaks.find((b) => b > Math.ceil(lo / 2)) ?? lo;
  return [chars.slice(0, cut).join(''), fitText(chars.slice(cut).join(''), width, measure)];
}

const memo = new Map<string, string>();
let context: CanvasRenderingContext2D | null | undefined;

/**
 * `fitText` measured with a canvas in the page's own font, remembered per font, width and
 * text. A canvas cannot draw tabular figures, so with `tabularNums` every digit is measured
 * as a 0 (a tabular figure is as wide as the font's 0 in the fonts the app uses).
 */
export function fitTextInPage(text: string, width: number, font: string, tabularNums = false): string {
  return remembered(`1\u0000${font}\u0000${width}\u0000${tabularNums ? 't' : 'p'}\u0000${text}`, text, font, (m) => fitText(text, width, m), tabularNums);
}

/** `fitTwoLines` measured in the page's own font (see fitTextInPage); the lines joined by a newline. */
export function fitTwoLinesInPage(text: string, width: number, font: string): string[] {
  return remembered(`2\u0000${font}\u0000${width}\u0000${text}`, text, font, (m) => fitTwoLines(text, width, m).join('\n')).split('\n');
}

function remembered(key: string, text: string, font: string, fit: (measure: MeasureText) => string, tabularNums = false): string {
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  context ??= document.createElement('canvas').getContext('2d');
  if (!context) return text;
  const ctx = context;
  ctx.font = font;
  const fitted = fit((t) => ctx.measureText(tabularNums ? t.replace(/[0-9]/g, '0') : t).width);
  if (memo.size > 10_000) memo.clear();
  memo.set(key, fitted);
  return fitted;
}
