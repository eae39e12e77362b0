import type { Pipeline, Position } from '../../shared/pipeline/schema';

export const CARD_WIDTH = 220;
export const CARD_HEIGHT = 76;
const GAP_X = 100;
const GAP_Y = 36;

interface LayoutNode {
  id: string;
  inputs: readonly string[];
}

/**
 * Left-to-right layers: a node sits one column right of its furthest input. Within a
 * column nodes are ordered by the average row of their inputs (one barycentre sweep),
 * which untangles most edges of a data pipeline; ties keep file order.
 */
export function layoutPositions(nodes: readonly LayoutNode[]): Record<string, Position> {
  const ids = new Set(nodes.map((n) => n.id));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const rank = new Map<string, number>();
  const visiting = new Set<string>();
  const rankOf = (id: string): number => {
    const known = rank.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle: the designer refuses them, but never loop
    visiting.add(id);
    const inputs = (byId.get(id)?.inputs ?? []).filter((i) => ids.has(i));
    const r = inputs.length ? Math.max(...inputs.map(rankOf)) + 1 : 0;
    visiting.delete(id);
    rank.set(id, r);
    return r;
  };
  const columns: string[][] = [];
  for (const n of nodes) {
    const r = rankOf(n.id);
    (columns[r] ??= []).push(n.id);
  }
  const row = new Map<string, number>();
  columns.forEach((col, r) => {
    if (r > 0) {
      const order = new Map(col.map((id, i) => [id, i]));
      const weight = (id: string) => {
        const rows = (byId.get(id)?.inputs ?? []).map((i) => row.get(i)).filter((x): x is number => x !== undefined);
        return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : (order.get(id) ?? 0);
      };
      col.sort((a, b) => weight(a) - weight(b) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
    }
    col.forEach((id, i) => row.set(id, i));
  });
  const tallest = Math.max(0, ...columns.map((c) => c?.length ?? 0));
  const out: Record<string, Position> = {};
  columns.forEach((col, r) => {
    // Centre shorter columns against the tallest one.
    const offset = ((tallest - col.length) * (CARD_HEIGHT + GAP_Y)) / 2;
    col.forEach((id, i) => {
      out[id] = { x: r * (CARD_WIDTH + GAP_X), y: Math.round(offset + i * (CARD_HEIGHT + GAP_Y)) };
    });
  });
  return out;
}

/** The whole pipeline laid out again: one edit (one undo step). */
export function autoLayout(p: Pipeline): Pipeline {
  return { ...p, layout: { ...p.layout, ...layoutPositions(p.nodes) } };
}
