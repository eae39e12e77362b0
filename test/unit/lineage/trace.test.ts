import { describe, expect, it } from 'vitest';
import { findColumn, sourceColumns, traceColumn, type ColumnLineage, type NodeLineage, type PipelineLineage } from '../../../shared/lineage';

// A hand-built column graph: src(a, b) -> mid(x = a, y = b, filtered on b) -> out(x, total = x + y, grouped by y)
//                                      \-> side(a2 = a, filtered on a)     and mid reads side.a2 indirectly (a join key).
const col = (name: string, direct: string[] = [], indirect: string[] = []): ColumnLineage => {
  const ref = (s: string) => ({ node: s.split('.')[0]!, column: s.split('.')[1]! });
  return { name, direct: direct.map(ref), indirect: indirect.map(ref), unknown: [] };
};
const node = (name: string, category: NodeLineage['category'], columns: ColumnLineage[], origin?: string): NodeLineage => ({ id: `id_${name}`, name, kind: category === 'source' ? 'seed' : 'sql', category, columns, ...(origin ? { origin } : {}) });

const graph: PipelineLineage = {
  format: 'weir.lineage',
  version: 1,
  pipeline: 'p',
  nodes: [
    node('src', 'source', [col('a'), col('b')], 'data/src.csv'),
    node('side', 'transform', [col('a2', ['src.a'], ['src.a'])]),
    node('mid', 'transform', [col('x', ['src.a'], ['src.b', 'side.a2']), col('y', ['src.b'], ['side.a2'])]),
    node('out', 'sink', [col('x', ['mid.x'], ['mid.y']), col('total', ['mid.x', 'mid.y'], ['mid.y'])]),
  ],
};

const hits = (t: ReturnType<typeof traceColumn>) => Object.fromEntries(t.hits.map((h) => [`${h.node}.${h.column}`, `${h.via}@${h.depth}`]));

describe('tracing the column graph', () => {
  it('upstream: direct only when every step is direct; a column reached both ways is direct', () => {
    expect(hits(traceColumn(graph, { node: 'out', column: 'x' }, 'upstream'))).toEqual({
      'mid.x': 'direct@1',
      'mid.y': 'indirect@1',
      'src.a': 'direct@2',
      'src.b': 'indirect@2',
      'side.a2': 'indirect@2',
    });
  });

  it('downstream follows the readers, with the same rule', () => {
    expect(hits(traceColumn(graph, { node: 'src', column: 'b' }, 'downstream'))).toEqual({
      'mid.x': 'indirect@1',
      'mid.y': 'direct@1',
      'out.total': 'direct@2',
      'out.x': 'indirect@2',
    });
  });

  it('names compare as DuckDB compares them, and the ends of a trace are the source columns', () => {
    const t = traceColumn(graph, { node: 'OUT', column: 'Total' }, 'upstream');
    expect(t.from).toEqual({ node: 'out', column: 'total' });
    expect(sourceColumns(graph, { node: 'out', column: 'total' }).map((h) => [`${h.node}.${h.column}`, h.via, h.origin])).toEqual([
      ['src.a', 'direct', 'data/src.csv'],
      ['src.b', 'direct', 'data/src.csv'],
    ]);
  });

  it('says which node or column is missing', () => {
    expect(findColumn(graph, { node: 'nope', column: 'x' })).toBe('no node named "nope"');
    expect(findColumn(graph, { node: 'mid', column: 'z' })).toBe('node "mid" has no column "z" (its columns: x, y)');
    expect(() => traceColumn(graph, { node: 'mid', column: 'z' }, 'upstream')).toThrow(/no column "z"/);
  });
});
