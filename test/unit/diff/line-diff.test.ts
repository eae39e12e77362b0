import { describe, expect, it } from 'vitest';
import { diffLineOps, hunkHeader, lineDiff } from '../../../shared/pipeline/line-diff';

/** Rebuilds both sides from the ops: any correct diff must give back exactly a and b. */
function sides(ops: ReturnType<typeof diffLineOps>) {
  return {
    a: ops.filter((o) => o.op !== '+').map((o) => o.text),
    b: ops.filter((o) => o.op !== '-').map((o) => o.text),
  };
}

/** Length of a longest common subsequence, by the textbook table. */
function lcsLength(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) t[i]![j] = a[i - 1] === b[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
  return t[a.length]![b.length]!;
}

describe('line diff', () => {
  it('shows a changed SQL line as - then + with context and unified line numbers', () => {
    const a = ['select', '  batch_id,', '  viability', 'from assays', 'where viability > 0.7', 'order by 1'];
    const b = ['select', '  batch_id,', '  viability', 'from assays', 'where viability >= 0.7', 'order by 1'];
    const d = lineDiff(a, b);
    expect(d.added).toBe(1);
    expect(d.removed).toBe(1);
    expect(d.hunks).toHaveLength(1);
    const h = d.hunks[0]!;
    expect(hunkHeader(h)).toBe('@@ -2,5 +2,5 @@');
    expect(h.lines.map((l) => `${l.op}${l.text}`)).toEqual([
      '   batch_id,',
      '   viability',
      ' from assays',
      '-where viability > 0.7',
      '+where viability >= 0.7',
      ' order by 1',
    ]);
    expect(h.lines[3]).toMatchObject({ before: 5, after: null });
    expect(h.lines[4]).toMatchObject({ before: null, after: 5 });
  });

  it('splits far-apart changes into separate hunks and joins close ones', () => {
    const a = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const far = [...a];
    far[1] = 'changed 2';
    far[25] = 'changed 26';
    expect(lineDiff(a, far).hunks.map(hunkHeader)).toEqual(['@@ -1,5 +1,5 @@', '@@ -23,7 +23,7 @@']);
    const near = [...a];
    near[10] = 'changed 11';
    near[16] = 'changed 17'; // 5 unchanged lines between: within 2 × 3 context
    expect(lineDiff(a, near).hunks).toHaveLength(1);
  });

  it('handles empty sides, pure insertion and deletion', () => {
    expect(lineDiff([], ['a', 'b'])).toMatchObject({ added: 2, removed: 0 });
    expect(hunkHeader(lineDiff([], ['a', 'b']).hunks[0]!)).toBe('@@ -0,0 +1,2 @@');
    expect(lineDiff(['a', 'b'], [])).toMatchObject({ added: 0, removed: 2 });
    expect(lineDiff(['a'], ['a']).hunks).toEqual([]);
    const ins = lineDiff(['a', 'b', 'c'], ['a', 'x', 'b', 'c'], 1);
    expect(ins.hunks[0]!.lines.map((l) => l.op + l.text)).toEqual([' a', '+x', ' b']);
    expect(hunkHeader(ins.hunks[0]!)).toBe('@@ -1,2 +1,3 @@');
  });

  it('is a minimal (LCS) diff that reproduces both sides, on random inputs', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: Math.floor(rnd() * 15) }, () => 'abcd'[Math.floor(rnd() * 4)]!);
      const b = Array.from({ length: Math.floor(rnd() * 15) }, () => 'abcd'[Math.floor(rnd() * 4)]!);
      const ops = diffLineOps(a, b);
      expect(sides(ops)).toEqual({ a, b });
      expect(ops.filter((o) => o.op === ' ').length).toBe(lcsLength(a, b));
      const d = lineDiff(a, b);
      expect(d.added).toBe(b.length - lcsLength(a, b));
      expect(d.removed).toBe(a.length - lcsLength(a, b));
    }
  });
});
