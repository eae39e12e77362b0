/**
 * A line diff (shortest edit script, Myers' O(ND) algorithm, which is an LCS diff) grouped
 * into unified-diff hunks with context. Pure: the renderer shows SQL diffs with the same code.
 */

export type LineOp = ' ' | '+' | '-';

export interface DiffLine {
  op: LineOp;
  text: string;
  /** 1-based line number in the old text (null for an added line). */
  before: number | null;
  /** 1-based line number in the new text (null for a removed line). */
  after: number | null;
}

export interface Hunk {
  /** As in a unified diff header `@@ -beforeStart,beforeLines +afterStart,afterLines @@`. */
  beforeStart: number;
  beforeLines: number;
  afterStart: number;
  afterLines: number;
  lines: DiffLine[];
}

export interface LineDiff {
  added: number;
  removed: number;
  hunks: Hunk[];
}

/** Every line of both texts in order: common lines once, removals before additions. */
export function diffLineOps(a: readonly string[], b: readonly string[]): DiffLine[] {
  // Common prefix and suffix are cheap to strip and keep the edit graph small.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);

  const out: DiffLine[] = [];
  for (let i = 0; i < pre; i++) out.push({ op: ' ', text: a[i] as string, before: i + 1, after: i + 1 });
  for (const op of myers(midA, midB)) {
    out.push({
      op: op.op,
      text: op.text,
      before: op.before === null ? null : op.before + pre + 1,
      after: op.after === null ? null : op.after + pre + 1,
    });
  }
  for (let i = 0; i < suf; i++) {
    const ai = a.length - suf + i;
    const bi = b.length - suf + i;
    out.push({ op: ' ', text: a[ai] as string, before: ai + 1, after: bi + 1 });
  }
  return out;
}

interface RawOp {
  op: LineOp;
  text: string;
  before: number | null;
  after: number | null;
}

function myers(a: readonly string[], b: readonly string[]): RawOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((text, j) => ({ op: '+', text, before: null, after: j }));
  if (m === 0) return a.map((text, i) => ({ op: '-', text, before: i, after: null }));
  const max = n + m;
  const off = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v);
    v = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[k - 1 + off] as number) < (v[k + 1 + off] as number)) ? (v[k + 1 + off] as number) : (v[k - 1 + off] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[k + off] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back from (n, m) through the saved frontiers; trace[d] is the frontier before step d.
  const ops: RawOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d] as Int32Array;
    const k = x - y;
    const prevK = k === -d || (k !== d && (vd[k - 1 + off] as number) < (vd[k + 1 + off] as number)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : (vd[prevK + off] as number);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ op: ' ', text: a[x] as string, before: x, after: y });
    }
    if (d === 0) break;
    if (x === prevX) {
      y--;
      ops.push({ op: '+', text: b[y] as string, before: null, after: y });
    } else {
      x--;
      ops.push({ op: '-', text: a[x] as string, before: x, after: null });
    }
  }
  return ops.reverse();
}

/** Groups changed lines with `context` unchanged lines around them, as `diff -u` does. */
export function lineDiff(a: readonly string[], b: readonly string[], context = 3): LineDiff {
  const ops = diffLineOps(a, b);
  const hunks: Hunk[] = [];
  let added = 0;
  let removed = 0;
  let i = 0;
  while (i < ops.length) {
    if ((ops[i] as DiffLine).op === ' ') {
      i++;
      continue;
    }
    // A hunk starts `context` lines before the first change and grows while changes are close.
    // Changes closer than 2 × context were joined below, so hunks never overlap.
    const start = Math.max(0, i - context);
    let end = i;
    let lastChange = i;
    while (end < ops.length) {
      if ((ops[end] as DiffLine).op !== ' ') lastChange = end;
      else if (end - lastChange > 2 * context) break;
      end++;
    }
    end = Math.min(ops.length, lastChange + 1 + context);
    const lines = ops.slice(start, end);
    for (const l of lines) {
      if (l.op === '+') added++;
      else if (l.op === '-') removed++;
    }
    hunks.push(toHunk(lines, ops, start));
    i = end;
  }
  return { added, removed, hunks };
}

function toHunk(lines: DiffLine[], all: DiffLine[], start: number): Hunk {
  const beforeLines = lines.filter((l) => l.op !== '+').length;
  const afterLines = lines.filter((l) => l.op !== '-').length;
  // Where a side has no lines in the hunk, unified diffs name the line before it.
  const firstBefore = lines.find((l) => l.before !== null)?.before ?? lineBefore(all, start, 'before');
  const firstAfter = lines.find((l) => l.after !== null)?.after ?? lineBefore(all, start, 'after');
  return { beforeStart: firstBefore, beforeLines, afterStart: firstAfter, afterLines, lines };
}

function lineBefore(all: DiffLine[], start: number, side: 'before' | 'after'): number {
  for (let j = start - 1; j >= 0; j--) {
    const n = (all[j] as DiffLine)[side];
    if (n !== null) return n;
  }
  return 0;
}

export function hunkHeader(h: Hunk): string {
  return `@@ -${h.beforeStart},${h.beforeLines} +${h.afterStart},${h.afterLines} @@`;
}
