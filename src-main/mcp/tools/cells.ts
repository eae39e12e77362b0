/**
 * A preview's rows as an assistant gets them: at most MAX_PREVIEW_ROWS rows, and every cell
 * short, so one wide text column cannot fill the assistant's context. Pure.
 */
export const MAX_PREVIEW_ROWS = 100;
export const DEFAULT_PREVIEW_ROWS = 20;
export const MAX_CELL_CHARS = 200;

export interface CappedRows {
  rows: unknown[][];
  /** How many cells were cut short. */
  truncatedCells: number;
}

/** A cell cut to `max` characters (a list or struct as its JSON text first); whether it was cut. */
export function capCell(value: unknown, max = MAX_CELL_CHARS): { value: unknown; cut: boolean } {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return { value, cut: false };
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return { value: String(value), cut: false };
  if (text.length <= max) return { value, cut: false };
  let head = text.slice(0, max);
  // Never half of a surrogate pair (an emoji cut in two is not valid text).
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
  return { value: `${head}… (${text.length} characters)`, cut: true };
}

/** The first `limit` rows (never more than MAX_PREVIEW_ROWS), every cell capped. */
export function capRows(rows: readonly (readonly unknown[])[], limit = MAX_PREVIEW_ROWS, maxCell = MAX_CELL_CHARS): CappedRows {
  let truncatedCells = 0;
  const out = rows.slice(0, Math.min(limit, MAX_PREVIEW_ROWS)).map((row) =>
    row.map((cell) => {
      const c = capCell(cell, maxCell);
      if (c.cut) truncatedCells++;
      return c.value;
    }),
  );
  return { rows: out, truncatedCells };
}
