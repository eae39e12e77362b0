/**
 * Which rows of a long list to render: those in the viewport plus a few either side, so a
 * grid of 100,000 rows keeps a few dozen row elements in the page. Pure arithmetic over a
 * fixed row height, unit-tested in test/unit/renderer/virtual-window.test.ts.
 */
export interface WindowInput {
  /** The scroll container's scrollTop, measured below any sticky header. */
  scrollTop: number;
  /** Height of the part of the container rows show in. */
  viewportHeight: number;
  rowHeight: number;
  rowCount: number;
  /** Rows rendered beyond each edge, so a fast scroll does not flash blank. */
  overscan?: number;
}

export interface RowWindow {
  /** First row rendered (inclusive). */
  start: number;
  /** Row after the last one rendered (exclusive). */
  end: number;
  /** Top of the first rendered row, from the top of the rows. */
  offset: number;
  /** Height of all rows: what the scrollbar measures. */
  total: number;
}

export function rowWindow({ scrollTop, viewportHeight, rowHeight, rowCount, overscan = 6 }: WindowInput): RowWindow {
  const total = Math.max(0, rowCount) * rowHeight;
  if (rowCount <= 0 || rowHeight <= 0) return { start: 0, end: 0, offset: 0, total: 0 };
  // Browsers can report a scrollTop past the end during an elastic scroll or a shrink.
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, total - viewportHeight));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight); // exclusive
  const start = Math.max(0, first - overscan);
  const end = Math.min(rowCount, Math.max(last, first + 1) + overscan);
  return { start, end, offset: start * rowHeight, total };
}

/** The scrollTop that brings row `index` fully into view, or null when it already is. */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return bottom - viewportHeight;
  return null;
}
