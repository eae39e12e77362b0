/** A node of the run as the critical path sees it: how long it took and what it read. */
export interface PathNode {
  id: string;
  /** Null for a node that did not run (skipped, not reached): it cannot be on the path. */
  durationMs: number | null;
  /** Its inputs (the plan's edges); inputs outside the run are ignored. */
  inputs: readonly string[];
}

export interface CriticalPath {
  /** From the first node to the last, each an input of the next. */
  ids: string[];
  /** The sum of their durations. */
  durationMs: number;
}

/**
 * The critical path of a run: the chain of dependent nodes (each reads the one before) whose
 * durations add up to the most. However many connections run at once, the run cannot finish
 * sooner than this chain, so it is where a faster node shortens the run. Ties go to the node
 * listed first, so the same run always marks the same path. A cycle (an unsaved document may
 * have one) is cut where it closes.
 */
export function criticalPath(nodes: readonly PathNode[]): CriticalPath {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const best = new Map<string, { total: number; prev: string | null }>();
  const visiting = new Set<string>();
  // The longest chain ending at `id` (-1: not on any chain), memoised.
  const end = (id: string): number => {
    const known = best.get(id);
    if (known) return known.total;
    const n = byId.get(id);
    if (!n || n.durationMs === null || visiting.has(id)) return -1;
    visiting.add(id);
    let prev: string | null = null;
    let before = 0;
    for (const up of n.inputs) {
      const t = end(up);
      if (t >= 0 && (prev === null || t > before)) {
        before = t;
        prev = up;
      }
    }
    visiting.delete(id);
    const total = before + Math.max(0, n.durationMs);
    best.set(id, { total, prev });
    return total;
  };
  let last: string | null = null;
  let longest = -1;
  for (const n of nodes) {
    const t = end(n.id);
    if (t > longest) {
      longest = t;
      last = n.id;
    }
  }
  const ids: string[] = [];
  for (let at = last; at !== null; at = best.get(at)?.prev ?? null) ids.unshift(at);
  return { ids, durationMs: Math.max(0, longest) };
}
