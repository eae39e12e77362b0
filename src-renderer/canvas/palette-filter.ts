import type { NodeCategory } from '../../shared/nodes/registry';

/** What the palette's filter box reads of a kind: any registry kind has these, so new kinds are found without edits here. */
export interface FilterableKind {
  kind: string;
  label: string;
  category: NodeCategory;
  summary: string;
}

/**
 * How well one word of the query matches a kind: lower is better, null is no match. The label
 * first (what the palette shows), then the kind's name (what the file says), then the category,
 * then the description.
 */
function wordScore(word: string, k: FilterableKind, categoryLabel: string): number | null {
  const label = k.label.toLowerCase();
  const kind = k.kind.toLowerCase();
  if (label === word || kind === word) return 0;
  if (label.startsWith(word)) return 1;
  if (kind.startsWith(word)) return 2;
  const wordStart = (text: string) => text.split(/[^a-z0-9]+/).some((w) => w.startsWith(word));
  if (wordStart(label) || wordStart(kind)) return 3;
  if (label.includes(word) || kind.includes(word)) return 4;
  if (k.category === word || categoryLabel.toLowerCase().startsWith(word) || k.category.startsWith(word)) return 5;
  const summary = k.summary.toLowerCase();
  if (wordStart(summary)) return 6;
  if (summary.includes(word)) return 7;
  return null;
}

/**
 * The kinds matching every word of `query`, best first (ties keep the palette's order). An
 * empty query matches every kind in palette order.
 */
export function filterKinds<T extends FilterableKind>(kinds: readonly T[], query: string, categoryLabel: (c: NodeCategory) => string = (c) => c): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...kinds];
  const scored: { k: T; score: number; i: number }[] = [];
  kinds.forEach((k, i) => {
    let score = 0;
    for (const w of words) {
      const s = wordScore(w, k, categoryLabel(k.category));
      if (s === null) return;
      score += s;
    }
    scored.push({ k, score, i });
  });
  return scored.sort((a, b) => a.score - b.score || a.i - b.i).map((x) => x.k);
}
