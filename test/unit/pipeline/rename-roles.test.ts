import { describe, expect, it } from 'vitest';
import { renameNode, renameReferences } from '../../../shared/pipeline/rename';
import type { Pipeline } from '../../../shared/pipeline/schema';

describe('renaming reads the fields each kind declares as SQL or as naming a node', () => {
  it('rewrites a check\'s relationship target and every SQL field of its rules, and an aggregate expression', () => {
    const p: Pipeline = {
      format: 'weir.pipeline',
      version: 1,
      name: 'p',
      params: {},
      layout: {},
      nodes: [
        { id: 'par', name: 'parent', kind: 'seed', inputs: [], config: { columns: [{ name: 'lot', type: 'VARCHAR' }], rows: [] } },
        {
          id: 'chk',
          name: 'chk',
          kind: 'check',
          inputs: ['par'],
          config: {
            rules: [
              { type: 'relationship', column: 'lot', to: 'Parent', field: 'lot', where: 'lot in (select lot from parent)' },
              { type: 'query', sql: ['select * from parent', "where lot = 'parent'"] },
            ],
          },
        },
        { id: 'agg', name: 'agg', kind: 'aggregate', inputs: ['par'], config: { aggregates: [{ fn: 'expression', expression: '(select count(*) from parent)', as: 'n' }] } },
      ],
    };
    const { pipeline, rewritten } = renameNode(p, 'par', 'lots');
    expect(rewritten).toEqual(['chk', 'agg']);
    expect(pipeline.nodes[1]!.config.rules).toEqual([
      { type: 'relationship', column: 'lot', to: 'lots', field: 'lot', where: 'lot in (select lot from lots)' },
      { type: 'query', sql: ['select * from lots', "where lot = 'parent'"] },
    ]);
    expect(pipeline.nodes[2]!.config.aggregates).toEqual([{ fn: 'expression', expression: '(select count(*) from lots)', as: 'n' }]);
  });

  it('applies several renames at once, leaves SQL another system runs, and guesses nothing for an unknown kind', () => {
    const renames = new Map([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    expect(renameReferences('sql', { sql: ['select * from a join b using (id)'] }, renames)).toEqual({ sql: ['select * from b join c using (id)'] });
    const pg = { connection: 'mart', query: ['select * from a'] };
    expect(renameReferences('postgres_source', pg, renames)).toBe(pg);
    const unknown = { sql: ['select * from a'], to: 'a' };
    expect(renameReferences('from_a_newer_weir', unknown, renames)).toBe(unknown);
  });
});
