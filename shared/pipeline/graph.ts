export interface GraphNode {
  id: string;
  name: string;
  inputs: readonly string[];
}

/** A cycle as the node names along it, first name repeated at the end: `a → b → a`. */
export function findCycle(nodes: readonly GraphNode[]): string[] | null {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    const s = state.get(id);
    if (s === 'done') return null;
    if (s === 'visiting') {
      const from = stack.indexOf(id);
      return [...stack.slice(from), id].map((x) => byId.get(x)?.name ?? x);
    }
    state.set(id, 'visiting');
    stack.push(id);
    for (const up of byId.get(id)?.inputs ?? []) {
      if (!byId.has(up)) continue;
      const c = visit(up);
      if (c) return c;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const n of nodes) {
    const c = visit(n.id);
    // Walked along inputs (downstream → upstream); show it in data-flow order.
    if (c) return c.reverse();
  }
  return null;
}

/** Kahn's algorithm, ties broken by file order so the plan is stable. Assumes no cycle. */
export function topoOrder<T extends GraphNode>(nodes: readonly T[]): T[] {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const indegree = new Map(nodes.map((n) => [n.id, n.inputs.filter((i) => index.has(i)).length]));
  const downstream = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const n of nodes) for (const up of n.inputs) downstream.get(up)?.push(n.id);
  const ready = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const out: T[] = [];
  while (ready.length) {
    ready.sort((a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0));
    const id = ready.shift() as string;
    out.push(nodes[index.get(id) as number] as T);
    for (const d of downstream.get(id) ?? []) {
      const left = (indegree.get(d) ?? 0) - 1;
      indegree.set(d, left);
      if (left === 0) ready.push(d);
    }
  }
  return out;
}

export function downstreamOf(nodes: readonly GraphNode[], id: string): Set<string> {
  const out = new Set<string>();
  const walk = (cur: string) => {
    for (const n of nodes) {
      if (n.inputs.includes(cur) && !out.has(n.id)) {
        out.add(n.id);
        walk(n.id);
      }
    }
  };
  walk(id);
  return out;
}

export function upstreamOf(nodes: readonly GraphNode[], id: string): Set<string> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Set<string>();
  const walk = (cur: string) => {
    for (const up of byId.get(cur)?.inputs ?? []) {
      if (!out.has(up) && byId.has(up)) {
        out.add(up);
        walk(up);
      }
    }
  };
  walk(id);
  return out;
}

/**
 * dbt-style selection: `name` alone, `+name` with everything upstream, `name+` with
 * everything downstream, `+name+` both; several terms separated by spaces or commas.
 * Returns node ids, or throws listing the unknown names.
 */
export function selectNodes(nodes: readonly GraphNode[], expr: string): Set<string> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const out = new Set<string>();
  const unknown: string[] = [];
  for (const term of expr.split(/[\s,]+/).filter(Boolean)) {
    const m = /^(\+?)([A-Za-z_][A-Za-z0-9_]*)(\+?)$/.exec(term);
    const node = m ? byName.get(m[2] as string) : undefined;
    if (!m || !node) {
      unknown.push(term);
      continue;
    }
    out.add(node.id);
    if (m[1]) for (const id of upstreamOf(nodes, node.id)) out.add(id);
    if (m[3]) for (const id of downstreamOf(nodes, node.id)) out.add(id);
  }
  if (unknown.length) {
    throw new Error(`--select names no node: ${unknown.join(', ')} (nodes: ${nodes.map((n) => n.name).join(', ')})`);
  }
  return out;
}
