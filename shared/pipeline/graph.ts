export interface GraphNode {
  id: string;
  name: string;
  inputs: readonly string[];
}

/**
 * A cycle as the node names along it, first name repeated at the end: `a → b → a`.
 * Iterative (an explicit stack), so a cycle of any length is found without a recursion
 * limit; linear in nodes + edges.
 */
export function findCycle(nodes: readonly GraphNode[]): string[] | null {
  const byId = new Map<string, GraphNode>();
  for (const n of nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const done = new Set<string>();
  // The current walk: node ids and, for each, the next of its inputs to follow.
  const path: string[] = [];
  const next: number[] = [];
  const onPath = new Map<string, number>();
  for (const root of nodes) {
    if (done.has(root.id)) continue;
    path.push(root.id);
    next.push(0);
    onPath.set(root.id, 0);
    while (path.length) {
      const top = path.length - 1;
      const id = path[top] as string;
      const inputs = byId.get(id)?.inputs ?? [];
      const i = next[top] as number;
      if (i >= inputs.length) {
        path.pop();
        next.pop();
        onPath.delete(id);
        done.add(id);
        continue;
      }
      next[top] = i + 1;
      const up = inputs[i] as string;
      if (!byId.has(up) || done.has(up)) continue;
      const at = onPath.get(up);
      if (at !== undefined) {
        // Walked along inputs (downstream → upstream); show it in data-flow order.
        return [...path.slice(at), up].map((x) => byId.get(x)?.name ?? x).reverse();
      }
      onPath.set(up, path.length);
      path.push(up);
      next.push(0);
    }
  }
  return null;
}

/**
 * A cycle for a one-line message: all of a short one, else its first few names and how many
 * nodes it has (a 100,000-node cycle must not become a 2 MB line).
 */
export function describeCycle(cycle: readonly string[], max = 6): string {
  const length = cycle.length - 1;
  if (length <= max) return cycle.join(' → ');
  return `${cycle.slice(0, max).join(' → ')} → … → ${cycle[0]} (${length} nodes in the cycle)`;
}

/**
 * Kahn's algorithm, ties broken by file order so the plan is stable: the ready node that comes
 * first in the file runs first. A binary heap keeps that O((nodes + edges) log nodes). Nodes on
 * a cycle are left out; callers check for cycles first.
 */
export function topoOrder<T extends GraphNode>(nodes: readonly T[]): T[] {
  const index = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!index.has(n.id)) index.set(n.id, i);
  });
  const indegree = new Array<number>(nodes.length).fill(0);
  const downstream: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    if (index.get(n.id) !== i) return; // a duplicate id (refused by validation) is planned once
    for (const up of n.inputs) {
      const u = index.get(up);
      if (u === undefined) continue;
      indegree[i] = (indegree[i] as number) + 1;
      (downstream[u] as number[]).push(i);
    }
  });
  const ready = new MinHeap();
  nodes.forEach((n, i) => {
    if (index.get(n.id) === i && indegree[i] === 0) ready.push(i);
  });
  const out: T[] = [];
  while (ready.size) {
    const i = ready.pop();
    out.push(nodes[i] as T);
    for (const d of downstream[i] as number[]) {
      const left = (indegree[d] as number) - 1;
      indegree[d] = left;
      if (left === 0) ready.push(d);
    }
  }
  return out;
}

/** A binary min-heap of numbers (file positions). */
class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(v: number): void {
    const a = this.items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as number) <= v) break;
      a[i] = a[parent] as number;
      i = parent;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.items;
    const top = a[0] as number;
    const last = a.pop() as number;
    if (a.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && (a[r] as number) < (a[l] as number) ? r : l;
        if ((a[c] as number) >= last) break;
        a[i] = a[c] as number;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/** Every node reachable from `start` by `step`, breadth first; a start node is in it only if reached again. */
function reachable(start: Iterable<string>, step: (id: string) => readonly string[] | undefined): Set<string> {
  const out = new Set<string>();
  const queue = [...start];
  const expanded = new Set(queue);
  for (let q = 0; q < queue.length; q++) {
    for (const nb of step(queue[q] as string) ?? []) {
      if (out.has(nb)) continue;
      out.add(nb);
      if (!expanded.has(nb)) {
        expanded.add(nb);
        queue.push(nb);
      }
    }
  }
  return out;
}

function inputsById(nodes: readonly GraphNode[]): Map<string, readonly string[]> {
  const ids = new Set(nodes.map((n) => n.id));
  const out = new Map<string, readonly string[]>();
  for (const n of nodes) if (!out.has(n.id)) out.set(n.id, n.inputs.filter((i) => ids.has(i)));
  return out;
}

function outputsById(nodes: readonly GraphNode[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of nodes) if (!out.has(n.id)) out.set(n.id, []);
  for (const n of nodes) for (const up of new Set(n.inputs)) out.get(up)?.push(n.id);
  return out;
}

/** Everything downstream of any of `ids` (not the nodes themselves, unless on a cycle). */
export function downstreamOfAll(nodes: readonly GraphNode[], ids: Iterable<string>): Set<string> {
  const outputs = outputsById(nodes);
  return reachable(ids, (id) => outputs.get(id));
}

/** Everything upstream of any of `ids` (not the nodes themselves, unless on a cycle). */
export function upstreamOfAll(nodes: readonly GraphNode[], ids: Iterable<string>): Set<string> {
  const inputs = inputsById(nodes);
  return reachable(ids, (id) => inputs.get(id));
}

export function downstreamOf(nodes: readonly GraphNode[], id: string): Set<string> {
  return downstreamOfAll(nodes, [id]);
}

export function upstreamOf(nodes: readonly GraphNode[], id: string): Set<string> {
  return upstreamOfAll(nodes, [id]);
}

/** At most `max` names, then how many were left out: for messages about big pipelines. */
function someNames(names: readonly string[], max = 20): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} … (${names.length} nodes)`;
}

/**
 * dbt-style selection: `name` alone, `+name` with everything upstream, `name+` with
 * everything downstream, `+name+` both; several terms separated by spaces or commas.
 * Returns node ids, or throws listing the unknown names.
 */
export function selectNodes(nodes: readonly GraphNode[], expr: string): Set<string> {
  const byName = new Map<string, GraphNode>();
  for (const n of nodes) if (!byName.has(n.name)) byName.set(n.name, n);
  const out = new Set<string>();
  const up: string[] = [];
  const down: string[] = [];
  const unknown: string[] = [];
  for (const term of expr.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\+?)([A-Za-z_][A-Za-z0-9_]*)(\+?)$/.exec(term);
    const node = m ? byName.get(m[2] as string) : undefined;
    if (!m || !node) {
      unknown.push(term);
      continue;
    }
    out.add(node.id);
    if (m[1]) up.push(node.id);
    if (m[3]) down.push(node.id);
  }
  if (unknown.length) {
    throw new Error(`--select names no node: ${someNames(unknown)} (nodes: ${someNames(nodes.map((n) => n.name))})`);
  }
  if (up.length) for (const id of upstreamOfAll(nodes, up)) out.add(id);
  if (down.length) for (const id of downstreamOfAll(nodes, down)) out.add(id);
  return out;
}
