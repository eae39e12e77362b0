import { describe, expect, it } from 'vitest';
import { capCell, capRows, MAX_CELL_CHARS, MAX_PREVIEW_ROWS } from '../../../src-main/mcp/tools/cells';

describe('the rows an assistant gets from preview_node', () => {
  it('keeps short cells and scalars as they are', () => {
    expect(capCell('B0001')).toEqual({ value: 'B0001', cut: false });
    expect(capCell(92.3)).toEqual({ value: 92.3, cut: false });
    expect(capCell(null)).toEqual({ value: null, cut: false });
    expect(capCell(true)).toEqual({ value: true, cut: false });
    expect(capCell([1, 2])).toEqual({ value: [1, 2], cut: false });
  });

  it('cuts long text, and long lists or structs as their JSON, saying how long they were', () => {
    const long = 'x'.repeat(500);
    expect(capCell(long)).toEqual({ value: `${'x'.repeat(MAX_CELL_CHARS)}… (500 characters)`, cut: true });
    const list = Array.from({ length: 100 }, (_, i) => i);
    const cut = capCell(list, 20);
    expect(cut.cut).toBe(true);
    expect(cut.value).toBe(`${JSON.stringify(list).slice(0, 20)}… (${JSON.stringify(list).length} characters)`);
  });

  it('never leaves half of a surrogate pair at the cut', () => {
    const text = 'a' + '😀'.repeat(10);
    const { value } = capCell(text, 4);
    // 'a' + one emoji is 3 UTF-16 units; a fourth would be half of the next emoji.
    expect(value).toBe(`a😀… (${text.length} characters)`);
  });

  it('caps the rows at the limit and never above MAX_PREVIEW_ROWS, counting cut cells', () => {
    const rows = Array.from({ length: 250 }, (_, i) => [i, i === 3 ? 'y'.repeat(300) : 'ok']);
    expect(capRows(rows, 10).rows).toHaveLength(10);
    const all = capRows(rows, 1000);
    expect(all.rows).toHaveLength(MAX_PREVIEW_ROWS);
    expect(all.truncatedCells).toBe(1);
    expect(all.rows[3]![1]).toMatch(/^y{200}… \(300 characters\)$/);
    expect(all.rows[4]).toEqual([4, 'ok']);
  });
});
