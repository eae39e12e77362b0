import { describe, expect, it } from 'vitest';
import { cellKind, cellText, isNumericType } from '../../../src-renderer/preview/grid/cell-format';
import { columnWidths } from '../../../src-renderer/preview/grid/column-widths';
import { rowWindow, scrollToReveal } from '../../../src-renderer/preview/grid/virtual-window';

const base = { rowHeight: 24, viewportHeight: 240, overscan: 0 };

describe('the virtual row window', () => {
  it('renders only the rows in view at the top, the middle and the end of 100,000 rows', () => {
    expect(rowWindow({ ...base, scrollTop: 0, rowCount: 100_000 })).toEqual({ start: 0, end: 10, offset: 0, total: 2_400_000 });
    // Half a row scrolled: the first is partly hidden, one more shows at the bottom.
    expect(rowWindow({ ...base, scrollTop: 12, rowCount: 100_000 })).toMatchObject({ start: 0, end: 11 });
    expect(rowWindow({ ...base, scrollTop: 24 * 500, rowCount: 100_000 })).toEqual({ start: 500, end: 510, offset: 12_000, total: 2_400_000 });
    const end = rowWindow({ ...base, scrollTop: 2_400_000 - 240, rowCount: 100_000 });
    expect(end).toMatchObject({ start: 99_990, end: 100_000 });
  });

  it('adds overscan either side, within the rows', () => {
    expect(rowWindow({ ...base, overscan: 5, scrollTop: 24 * 100, rowCount: 1000 })).toMatchObject({ start: 95, end: 115, offset: 95 * 24 });
    expect(rowWindow({ ...base, overscan: 5, scrollTop: 0, rowCount: 1000 })).toMatchObject({ start: 0, end: 15 });
    expect(rowWindow({ ...base, overscan: 5, scrollTop: 24 * 990, rowCount: 1000 })).toMatchObject({ start: 985, end: 1000 });
  });

  it('copes with fewer rows than fit, no rows, a scrollTop past the end or negative, and a zero-height viewport', () => {
    expect(rowWindow({ ...base, scrollTop: 0, rowCount: 3 })).toEqual({ start: 0, end: 3, offset: 0, total: 72 });
    expect(rowWindow({ ...base, scrollTop: 0, rowCount: 0 })).toEqual({ start: 0, end: 0, offset: 0, total: 0 });
    // An elastic overscroll or a shrink can report a scrollTop beyond the rows.
    expect(rowWindow({ ...base, scrollTop: 1e9, rowCount: 50 })).toMatchObject({ start: 40, end: 50 });
    expect(rowWindow({ ...base, scrollTop: -80, rowCount: 50 })).toMatchObject({ start: 0, end: 10 });
    expect(rowWindow({ ...base, viewportHeight: 0, scrollTop: 240, rowCount: 50 })).toMatchObject({ start: 10, end: 11 });
  });

  it('scrolls a row into view only when it is not', () => {
    expect(scrollToReveal(5, 0, 240, 24)).toBeNull();
    expect(scrollToReveal(10, 0, 240, 24)).toBe(24);
    expect(scrollToReveal(3, 240, 240, 24)).toBe(72);
  });
});

describe('cells and column widths', () => {
  it('tells NULL from an empty string, and numbers by column type', () => {
    expect([null, undefined, '', 0, 'x', true, { a: 1 }].map(cellKind)).toEqual(['null', 'null', 'empty', 'number', 'text', 'boolean', 'json']);
    expect(cellText(null)).toBe('NULL');
    expect(cellText('')).toBe("''");
    expect(cellText('NULL')).toBe('NULL'); // the text "NULL" reads the same, but its kind differs
    expect(cellKind('NULL')).toBe('text');
    expect(['BIGINT', 'DOUBLE', 'DECIMAL(18,3)', 'HUGEINT', 'VARCHAR', 'DATE', 'INTEGER[]'].map(isNumericType)).toEqual([true, true, true, true, false, false, false]);
  });

  it('shows dates and timestamps as DuckDB prints them', () => {
    expect(cellText('2024-01-08T00:00:00.000Z', 'DATE')).toBe('2024-01-08');
    expect(cellText('2024-01-18T13:31:00.000Z', 'TIMESTAMP')).toBe('2024-01-18 13:31:00');
    expect(cellText('2024-01-18T13:31:00.250Z', 'TIMESTAMP')).toBe('2024-01-18 13:31:00.250');
    expect(cellText('2024-01-18T13:31:00.000Z', 'TIMESTAMP WITH TIME ZONE')).toBe('2024-01-18T13:31:00.000Z');
    expect(cellText('2024-01-08T00:00:00.000Z', 'VARCHAR')).toBe('2024-01-08T00:00:00.000Z'); // text stays as it is
  });

  it('sizes columns to their header and first values, within bounds', () => {
    const cols = [
      { name: 'id', type: 'INTEGER' },
      { name: 'comment', type: 'VARCHAR' },
      { name: 'batch_id', type: 'VARCHAR' },
    ];
    const rows = [
      [1, 'x'.repeat(500), 'B0142'],
      [2, null, 'B0143'],
    ];
    const [id, comment, batch] = columnWidths(cols, rows, { charPx: 10, padPx: 20, min: 50, max: 300 });
    expect(id).toBe(7 * 10 + 20); // "INTEGER" is the widest text
    expect(comment).toBe(300); // capped
    expect(batch).toBe(10 * 10 + 20); // "batch_id" + 2
    expect(columnWidths([{ name: 'a', type: 'X' }], [], { charPx: 10, padPx: 0, min: 50 })).toEqual([50]);
  });
});
