/** A box on the page, in CSS pixels from the window's top left (as getBoundingClientRect gives it). */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Where a popover goes: CSS `left` and `bottom` (from the window's bottom edge) and the most room it may take. */
export interface Placement {
  left: number;
  bottom: number;
  maxWidth: number;
  maxHeight: number;
}

/** Room kept between the popover and the window's edges, and between it and what it opens above. */
const MARGIN = 8;
const GAP = 4;
/** Less room than this above the box kept clear, and the popover sits right above its opener instead. */
const MIN_HEIGHT = 120;
const MAX_WIDTH = 760;
const MIN_WIDTH = 320;

/**
 * Where a popover opened from the status bar goes: above its opener and inside the window,
 * and above `keepClear` too (the bottom panel: the run log and the checks its problems point
 * into) while there is room over it; with too little room there (the panel dragged tall) it
 * sits right above the opener, its height still within the window. Pure, so it is tested
 * without a page (test/unit/renderer/popover-place.test.ts).
 */
export function placeAbove(opener: Box, keepClear: Box | null, view: { width: number; height: number }): Placement {
  const clearTop = keepClear && keepClear.top < opener.top ? keepClear.top : null;
  const roomOverClear = clearTop === null ? 0 : clearTop - GAP - MARGIN;
  const edge = clearTop !== null && roomOverClear >= MIN_HEIGHT ? clearTop : opener.top;
  const left = Math.max(MARGIN, Math.min(opener.left - 12, view.width - MARGIN - MIN_WIDTH));
  return {
    left,
    bottom: view.height - edge + GAP,
    maxWidth: Math.max(0, Math.min(MAX_WIDTH, view.width - left - MARGIN)),
    maxHeight: Math.max(0, edge - GAP - MARGIN),
  };
}
