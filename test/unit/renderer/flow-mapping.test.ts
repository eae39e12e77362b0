import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { newFlowEdgeCache, newFlowNodeCache, toFlowEdges, toFlowNodes } from '../../../src-renderer/canvas/flow-mapping';

const pipeline = (sql = 'select 1'): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'p',
  params: {},
  nodes: [
    { id: 'a', name: 'a', kind: 'seed', inputs: [], config: { columns: [], rows: [] } },
    { id: 'b', name: 'b', kind: 'sql', inputs: ['a'], config: { sql: [sql] } },
  ],
  layout: { a: { x: 0, y: 0 }, b: { x: 260, y: 0 } },
});

describe('toFlowNodes / toFlowEdges', () => {
  it('return the previous array while no node or edge changed (a config edit), and a new one when one did', () => {
    const nodes = newFlowNodeCache();
    const edges = newFlowEdgeCache();
    const measured = new Map();
    const n1 = toFlowNodes(pipeline(), [], measured, nodes);
    const e1 = toFlowEdges(pipeline(), [], edges);
    expect(n1.map((n) => n.data)).toEqual([
      { id: 'a', kind: 'seed' },
      { id: 'b', kind: 'sql' },
    ]);
    // A keystroke in b's SQL: a new pipeline object, nothing the canvas shows changed.
    expect(toFlowNodes(pipeline('select 12'), [], measured, nodes)).toBe(n1);
    expect(toFlowEdges(pipeline('select 12'), [], edges)).toBe(e1);

    const n2 = toFlowNodes(pipeline(), ['b'], measured, nodes);
    expect(n2).not.toBe(n1);
    expect(n2[0]).toBe(n1[0]);
    expect(n2[1]!.selected).toBe(true);
    const e2 = toFlowEdges(pipeline(), ['a->b'], edges);
    expect(e2).not.toBe(e1);
    expect(e2[0]!.selected).toBe(true);
  });

  it('gives a node whose kind changed a new object and data carrying the new kind', () => {
    const cache = newFlowNodeCache();
    const before = toFlowNodes(pipeline(), [], new Map(), cache);
    const p = pipeline();
    p.nodes[1] = { ...p.nodes[1]!, kind: 'filter', config: { condition: 'true' } };
    const after = toFlowNodes(p, [], new Map(), cache);
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]!.data).toEqual({ id: 'b', kind: 'filter' });
  });
});
