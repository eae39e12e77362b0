import { cellText } from './cell-format';

export interface WidthOptions {
  /** Pixels per character of the grid's monospace font. */
  charPx?: number;
  /** Left + right padding of a cell. */
  padPx?: number;
  min?: number;
  max?: number;
  /** Rows looked at: the first ones are a fair sample, and looking at all would cost. */
  sample?: number;
  /** Room the header needs beside the name (type icon, sort mark, filter button). */
  headerExtraPx?: number;
}

/**
 * A width per column from its header (name and type) and the text of its first rows, so
 * that columns are as wide as what they hold, within bounds: an id column stays narrow, a
 * comment column does not push every other one off screen.
 */
export function columnWidths(columns: readonly { name: string; type: string }[], rows: readonly (readonly unknown[])[], o: WidthOptions = {}): number[] {
  const charPx = o.charPx ?? 7.3;
  const pad = o.padPx ?? 22;
  const min = o.min ?? 56;
  const max = o.max ?? 360;
  const n = Math.min(rows.length, o.sample ?? 200);
  const extra = o.headerExtraPx ?? 0;
  return columns.map((c, j) => {
    const head = Math.max((c.name.length + 2) * charPx + extra, Math.min(c.type.length, 24) * charPx);
    let chars = 0;
    for (let i = 0; i < n; i++) chars = Math.max(chars, cellText(rows[i]?.[j], c.type).length);
    return Math.round(Math.min(max, Math.max(min, Math.max(head, chars * charPx) + pad)));
  });
}
