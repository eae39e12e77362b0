/**
 * A fuzzy match of a typed query against a name, as command palettes do it: the query's
 * characters appear in the name in order (case ignored). Lower scores are better; null is no
 * match. A run of consecutive characters, a match at the start of the name or of a word in it
 * (after `_`, `-`, a space, a dot, or a lower-to-upper case change) cost less; gaps cost more.
 */
export function fuzzyScore(query: string, name: string): number | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return 0;
  const lower = name.toLowerCase();
  if (lower === q) return -1000;
  const direct = lower.indexOf(q);
  if (direct === 0) return -500 + name.length;
  if (direct > 0 && isWordStart(name, direct)) return -300 + direct + name.length;
  if (direct > 0) return -100 + direct + name.length;
  let score = 0;
  let at = 0;
  let last = -2;
  for (const ch of q) {
    const found = lower.indexOf(ch, at);
    if (found < 0) return null;
    if (found === last + 1) score += 0;
    else score += isWordStart(name, found) ? 2 : 6 + Math.min(found - last, 20);
    last = found;
    at = found + 1;
  }
  return score + name.length / 10;
}

function isWordStart(name: string, i: number): boolean {
  if (i === 0) return true;
  const prev = name[i - 1]!;
  const cur = name[i]!;
  return /[_\-\s.:/]/.test(prev) || (prev === prev.toLowerCase() && cur !== cur.toLowerCase());
}
