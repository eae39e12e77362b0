import { describe, expect, it } from 'vitest';
import type { Pipeline, PipelineNode } from '../../../shared/pipeline/schema';
import { diffPipelines } from '../../../shared/pipeline/semantic-diff';
import { formatPipelineDiff } from '../../../shared/pipeline/semantic-diff-text';

const pipeline = (nodes: PipelineNode[]): Pipeline => ({ format: 'weir.pipeline', version: 1, name: 'p', params: {}, nodes, layout: {} });

const before = (): PipelineNode[] => [
  { id: 'f', name: 'keep', kind: 'filter', inputs: ['s'], config: { condition: 'viability >= 70\nand site = 1' } },
  { id: 'pg', name: 'marts', kind: 'postgres_source', inputs: [], config: { connection: 'mart', query: ['select lot', 'from lots'] } },
  { id: 'api', name: 'api_in', kind: 'http_source', inputs: [], config: { connection: 'api', url: 'entries', query: { page: 1 } } },
];

describe('which fields a diff shows as SQL lines: the ones the kind declares as SQL', () => {
  it('line-diffs a filter condition and a PostgreSQL query; an http source\'s query parameters stay a value', () => {
    const a = pipeline(before());
    const nodes = before();
    nodes[0]!.config.condition = 'viability >= 80\nand site = 1';
    nodes[1]!.config.query = ['select lot, site', 'from lots'];
    nodes[2]!.config.query = { page: 2 };
    const d = diffPipelines(a, pipeline(nodes));
    const byName = (n: string) => d.nodes.changed.find((c) => c.name === n)!;
    expect(byName('keep').sql.map((s) => [s.field, s.diff.added, s.diff.removed])).toEqual([['condition', 1, 1]]);
    expect(byName('keep').config).toEqual([]);
    expect(byName('marts').sql.map((s) => s.field)).toEqual(['query']);
    expect(byName('api_in').sql).toEqual([]);
    expect(byName('api_in').config).toEqual([{ path: 'config.query.page', change: 'changed', before: 1, after: 2 }]);
    expect(d.summary).toMatchObject({ sqlLinesAdded: 2, sqlLinesRemoved: 2 });
  });

  it('shows an added node\'s SQL lines one per line, whatever the field is called', () => {
    const d = diffPipelines(pipeline([]), pipeline([before()[1]!]));
    expect(formatPipelineDiff(d, { beforeLabel: 'a', afterLabel: 'b' })).toContain(['      query:', '        + select lot', '        + from lots'].join('\n'));
  });

  it('diffs SQL as lines when either version\'s kind declares it (a node turned into another kind)', () => {
    const a = pipeline([{ id: 'n', name: 'n', kind: 'sql', inputs: [], config: { sql: ['select 1', 'from t'] } }]);
    const b = pipeline([{ id: 'n', name: 'n', kind: 'seed', inputs: [], config: { columns: [{ name: 'a', type: 'BIGINT' }], rows: [] } }]);
    const change = diffPipelines(a, b).nodes.changed[0]!;
    expect(change.kindChanged).toEqual({ from: 'sql', to: 'seed' });
    expect(change.sql.map((s) => [s.field, s.diff.removed])).toEqual([['sql', 2]]);
    expect(change.config.map((c) => c.path)).toEqual(['config.columns', 'config.rows']);
  });
});
