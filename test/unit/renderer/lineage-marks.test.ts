import { describe, expect, it } from 'vitest';
import { traceColumn, type PipelineLineage } from '../../../shared/lineage';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { marksOf } from '../../../src-renderer/lineage/lineage-marks';

// A hand-made column graph: src(a, b) -> mid(x = a, filtered by b) -> out(y = x); other(z) unrelated.
const graph: PipelineLineage = {
  format: 'weir.lineage',
  version: 1,
  pipeline: 'p',
  nodes: [
    { id: 's', name: 'src', kind: 'seed', category: 'source', columns: [{ name: 'a', direct: [], indirect: [], unknown: [] }, { name: 'b', direct: [], indirect: [], unknown: [] }] },
    { id: 'o2', name: 'other', kind: 'seed', category: 'source', columns: [{ name: 'z', direct: [], indirect: [], unknown: [] }] },
    { id: 'm', name: 'mid', kind: 'sql', category: 'transform', columns: [{ name: 'x', direct: [{ node: 'src', column: 'a' }], indirect: [{ node: 'src', column: 'b' }], unknown: [] }] },
    { id: 'k', name: 'keys', kind: 'sql', category: 'transform', columns: [{ name: 'k', direct: [], indirect: [{ node: 'src', column: 'b' }], unknown: [] }] },
    { id: 'u', name: 'out', kind: 'sql', category: 'transform', columns: [{ name: 'y', direct: [{ node: 'mid', column: 'x' }], indirect: [{ node: 'keys', column: 'k' }], unknown: [] }] },
  ],
};
const doc = { nodes: graph.nodes.map((n) => ({ id: n.id, name: n.name })) } as unknown as Pipeline;

describe('the canvas marks of a column trace', () => {
  it('marks the traced node, nodes a value flows from as direct, the rest reached as indirect, and nothing else', () => {
    const marks = marksOf(doc, traceColumn(graph, { node: 'out', column: 'y' }, 'upstream'));
    expect(marks.u).toEqual({ via: 'origin', columns: [{ column: 'y', via: 'direct' }] });
    expect(marks.m?.via).toBe('direct');
    // src.a flows into y; src.b only decides rows: the node is direct, its columns apart.
    expect(marks.s?.via).toBe('direct');
    expect(marks.s?.columns).toEqual(expect.arrayContaining([{ column: 'a', via: 'direct' }, { column: 'b', via: 'indirect' }]));
    expect(marks.k).toEqual({ via: 'indirect', columns: [{ column: 'k', via: 'indirect' }] });
    expect(marks.o2).toBeUndefined();
  });

  it('downstream marks what the column reaches', () => {
    const marks = marksOf(doc, traceColumn(graph, { node: 'src', column: 'b' }, 'downstream'));
    expect(Object.keys(marks).sort()).toEqual(['k', 'm', 'u', 's'].sort());
    expect(marks.u?.via).toBe('indirect');
  });
});
