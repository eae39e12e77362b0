import { diffLineOps } from '../../../shared/pipeline/line-diff';

/**
 * A three-way merge of two edits of the same lines (SQL lines, seed rows): changes to
 * separate regions are both kept; changes that overlap or touch (as git's own merge
 * decides) are a conflict unless both sides made the same change.
 */

interface Edit {
  /** Base lines [start, end) are replaced by `lines`. */
  start: number;
  end: number;
  lines: string[];
  side: 'ours' | 'theirs';
}

function edits(base: readonly string[], side: readonly string[], who: Edit['side']): Edit[] {
  const out: Edit[] = [];
  let pos = 0;
  let current: Edit | null = null;
  for (const op of diffLineOps(base, side)) {
    if (op.op === ' ') {
      if (current) out.push(current);
      current = null;
      pos++;
      continue;
    }
    current ??= { start: pos, end: pos, lines: [], side: who };
    if (op.op === '-') {
      current.end++;
      pos++;
    } else {
      current.lines.push(op.text);
    }
  }
  if (current) out.push(current);
  return out;
}

function apply(base: readonly string[], from: number, to: number, es: Edit[]): string[] {
  const out: string[] = [];
  let pos = from;
  for (const e of es) {
    out.push(...base.slice(pos, e.start), ...e.lines);
    pos = e.end;
  }
  out.push(...base.slice(pos, to));
  return out;
}

export function mergeLines(base: readonly string[], ours: readonly string[], theirs: readonly string[]): { merged: string[]; conflict: boolean } {
  const all = [...edits(base, ours, 'ours'), ...edits(base, theirs, 'theirs')].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: string[] = [];
  let pos = 0;
  let i = 0;
  while (i < all.length) {
    // Grow a group while the next edit overlaps or touches it.
    const group = [all[i] as Edit];
    let start = (all[i] as Edit).start;
    let end = (all[i] as Edit).end;
    i++;
    while (i < all.length && (all[i] as Edit).start <= end) {
      const e = all[i] as Edit;
      group.push(e);
      start = Math.min(start, e.start);
      end = Math.max(end, e.end);
      i++;
    }
    merged.push(...base.slice(pos, start));
    const oursPart = apply(base, start, end, group.filter((e) => e.side === 'ours'));
    const theirsPart = apply(base, start, end, group.filter((e) => e.side === 'theirs'));
    const sides = new Set(group.map((e) => e.side));
    if (sides.size === 2 && JSON.stringify(oursPart) !== JSON.stringify(theirsPart)) return { merged: [], conflict: true };
    merged.push(...(sides.has('ours') ? oursPart : theirsPart));
    pos = end;
  }
  merged.push(...base.slice(pos));
  return { merged, conflict: false };
}
