import { describe, expect, it } from 'vitest';
import { describeCycle, downstreamOf, findCycle, selectNodes, topoOrder, upstreamOf, type GraphNode } from '../../../shared/pipeline/graph';

// a → b → d, a → c → d, e alone; file order deliberately not topological
const nodes = [
  { id: 'd', name: 'dd', inputs: ['b', 'c'] },
  { id: 'b', name: 'bb', inputs: ['a'] },
  { id: 'a', name: 'aa', inputs: [] },
  { id: 'c', name: 'cc', inputs: ['a'] },
  { id: 'e', name: 'ee', inputs: [] },
];

describe('graph', () => {
  it('orders nodes after their inputs, ties in file order', () => {
    expect(topoOrder(nodes).map((n) => n.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('finds no cycle in a DAG and names the nodes of a cycle in flow order', () => {
    expect(findCycle(nodes)).toBeNull();
    const cyclic = [
      { id: 'x', name: 'x', inputs: ['z'] },
      { id: 'y', name: 'y', inputs: ['x'] },
      { id: 'z', name: 'z', inputs: ['y'] },
    ];
    const cycle = findCycle(cyclic)!;
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
    expect(cycle.slice(0, 3).sort()).toEqual(['x', 'y', 'z']);
    // each step follows an edge: cycle[i] is an input of cycle[i + 1]
    for (let i = 0; i < cycle.length - 1; i++) {
      const next = cyclic.find((n) => n.name === cycle[i + 1])!;
      expect(next.inputs).toContain(cyclic.find((n) => n.name === cycle[i])!.id);
    }
  });

  it('a self-loop is a cycle', () => {
    expect(findCycle([{ id: 'a', name: 'a', inputs: ['a'] }])).toEqual(['a', 'a']);
  });

  it('selects name, +name (upstream), name+ (downstream) and +name+', () => {
    const sel = (e: string) => [...selectNodes(nodes, e)].sort();
    expect(sel('bb')).toEqual(['b']);
    expect(sel('+bb')).toEqual(['a', 'b']);
    expect(sel('bb+')).toEqual(['b', 'd']);
    expect(sel('+dd')).toEqual(['a', 'b', 'c', 'd']);
    expect(sel('aa+')).toEqual(['a', 'b', 'c', 'd']);
    expect(sel('+cc+')).toEqual(['a', 'c', 'd']);
    expect(sel('bb, ee')).toEqual(['b', 'e']);
  });

  it('an unknown name in a selection is an error naming it', () => {
    expect(() => selectNodes(nodes, 'bb nope')).toThrow(/names no node: nope/);
  });

  it('a cycle is described in a few names and its length when it is long', () => {
    expect(describeCycle(['a', 'b', 'a'])).toBe('a → b → a');
    const long = [...Array.from({ length: 10 }, (_, i) => `n${i}`), 'n0'];
    expect(describeCycle(long)).toBe('n0 → n1 → n2 → n3 → n4 → n5 → … → n0 (10 nodes in the cycle)');
  });
});

/** The order the first implementation gave: the ready node first in the file, re-sorted each step. */
function referenceOrder(nodes: readonly GraphNode[]): string[] {
  const left = new Map(nodes.map((n) => [n.id, new Set(n.inputs)]));
  const out: string[] = [];
  while (left.size) {
    const next = nodes.find((n) => left.has(n.id) && [...left.get(n.id)!].every((i) => !left.has(i)));
    if (!next) break;
    out.push(next.id);
    left.delete(next.id);
  }
  return out;
}

/** A seeded pseudo-random DAG in shuffled file order: edges point from lower to higher rank. */
function randomDag(size: number, seed: number): GraphNode[] {
  let x = seed;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const ranked = Array.from({ length: size }, (_, i) => ({ id: `r${i}`, name: `r${i}`, inputs: [] as string[] }));
  for (let i = 1; i < size; i++) {
    const count = Math.floor(rand() * 3);
    for (let k = 0; k < count; k++) {
      const up = `r${Math.floor(rand() * i)}`;
      if (!ranked[i]!.inputs.includes(up)) ranked[i]!.inputs.push(up);
    }
  }
  return ranked.map((n) => ({ n, key: rand() })).sort((a, b) => a.key - b.key).map((e) => e.n);
}

const chain = (size: number, closed: boolean): GraphNode[] =>
  Array.from({ length: size }, (_, i) => ({ id: `n${i}`, name: `n${i}`, inputs: i > 0 ? [`n${i - 1}`] : closed ? [`n${size - 1}`] : [] }));

describe('graph algorithms at any size', () => {
  it('topoOrder gives the same order as the simple definition (ties in file order)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const dag = randomDag(60, seed);
      expect(topoOrder(dag).map((n) => n.id)).toEqual(referenceOrder(dag));
    }
  });

  it('finds a 100,000-node cycle without recursion, in data-flow order', () => {
    const cycle = findCycle(chain(100_000, true))!;
    expect(cycle).toHaveLength(100_001);
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
    const at = Number(cycle[0]!.slice(1));
    expect(cycle[1]).toBe(`n${(at + 1) % 100_000}`);
  });

  it('walks a 100,000-node chain up and down, and selects along it, without recursion', () => {
    const nodes = chain(100_000, false);
    expect(findCycle(nodes)).toBeNull();
    expect(topoOrder(nodes.slice().reverse()).map((n) => n.id)).toEqual(nodes.map((n) => n.id));
    expect(upstreamOf(nodes, 'n99999').size).toBe(99_999);
    expect(downstreamOf(nodes, 'n0').size).toBe(99_999);
    expect(selectNodes(nodes, '+n50000').size).toBe(50_001);
    expect(selectNodes(nodes, 'n50000+ n10').size).toBe(50_001);
  });

  it('stays fast on 100,000 independent nodes and a wide fan-in (no quadratic step)', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ id: `n${i}`, name: `n${i}`, inputs: [] as string[] }));
    const sink = { id: 'sink', name: 'sink', inputs: many.map((n) => n.id) };
    const cpu = process.cpuUsage();
    expect(topoOrder([sink, ...many]).at(-1)!.id).toBe('sink');
    expect(findCycle([sink, ...many])).toBeNull();
    expect(selectNodes([sink, ...many], `+sink ${many.slice(0, 1000).map((n) => `${n.name}+`).join(' ')}`).size).toBe(100_001);
    // Generous CPU time (the wall clock on a shared machine measures the neighbours): the
    // quadratic versions took minutes here.
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(10_000);
  });

  it('an unknown selection names at most 20 of the nodes there are', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ id: `n${i}`, name: `n${i}`, inputs: [] as string[] }));
    expect(() => selectNodes(many, 'nope')).toThrow(/names no node: nope \(nodes: n0, n1, .*n19 … \(1000 nodes\)\)$/);
  });
});
