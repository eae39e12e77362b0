import { describe, expect, it } from 'vitest';
import { findCycle, selectNodes, topoOrder } from '../../../shared/pipeline/graph';

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
});
