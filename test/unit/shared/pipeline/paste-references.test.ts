import { describe, expect, it } from 'vitest';
import { resolveCheck, type CheckConfig } from '../../../../shared/nodes/check';
import { nodeKindSpec } from '../../../../shared/nodes/registry';
import { serializePipeline } from '../../../../shared/pipeline/canonical';
import { parsePipeline } from '../../../../shared/pipeline/parse';
import type { Pipeline, PipelineNode } from '../../../../shared/pipeline/schema';
import { copyNodes, emptyPipeline, pasteNodes } from '../../../../shared/pipeline/doc-edits';

/** A check of `child` with every rule that names its relationship parent: in `to`, and in SQL. */
function withCheck(): Pipeline {
  const nodes: PipelineNode[] = [
    { id: 'lots', name: 'lots', kind: 'seed', inputs: [], config: { columns: [{ name: 'lot', type: 'VARCHAR' }], rows: [['L1'], ['L2']] } },
    { id: 'parent', name: 'parent', kind: 'sql', inputs: ['lots'], config: { sql: ['select lot from lots'] } },
    { id: 'child', name: 'child', kind: 'sql', inputs: ['lots'], config: { sql: ['select lot from lots'] } },
    {
      id: 'chk',
      name: 'chk',
      kind: 'check',
      inputs: ['child', 'parent'],
      config: {
        rules: [
          { type: 'relationship', column: 'lot', to: 'parent', field: 'lot', where: 'lot <> (select min(lot) from parent)' },
          { type: 'expression', expression: 'lot in (select lot from parent)' },
          { type: 'query', sql: ['select * from child', 'where lot not in (select lot from "parent")'] },
        ],
      },
    },
  ];
  return { ...emptyPipeline('release'), nodes, layout: { lots: { x: 0, y: 0 }, parent: { x: 200, y: 0 }, child: { x: 200, y: 100 }, chk: { x: 400, y: 0 } } };
}

const byName = (p: Pipeline, name: string) => p.nodes.find((n) => n.name === name)!;

describe('pasting a check with its relationship parent', () => {
  it('points the pasted check at the pasted parent in `to` and in every SQL field, as its inputs do', () => {
    const p = withCheck();
    const { pipeline, ids } = pasteNodes(p, copyNodes(p, ['parent', 'child', 'chk'])!, { x: 0, y: 300 });
    expect(pipeline.nodes.filter((n) => ids.includes(n.id)).map((n) => n.name)).toEqual(['parent_1', 'child_1', 'chk_1']);
    const check = byName(pipeline, 'chk_1');
    expect(check.inputs).toEqual([byName(pipeline, 'child_1').id, byName(pipeline, 'parent_1').id]);
    expect(check.config.rules).toEqual([
      { type: 'relationship', column: 'lot', to: 'parent_1', field: 'lot', where: 'lot <> (select min(lot) from parent_1)' },
      { type: 'expression', expression: 'lot in (select lot from parent_1)' },
      { type: 'query', sql: ['select * from child_1', 'where lot not in (select lot from "parent_1")'] },
    ]);
    // The copies are consistent: the check compiles (its `to` is one of its inputs), and the file loads.
    const config = nodeKindSpec('check')!.config.parse(check.config) as CheckConfig;
    expect(() => resolveCheck(config, { nodeName: 'chk_1', inputNames: ['child_1', 'parent_1'], fanOut: 1 })).not.toThrow();
    expect(parsePipeline(serializePipeline(pipeline)).pipeline.nodes).toHaveLength(7);
    // The originals are untouched.
    expect(byName(pipeline, 'chk')).toBe(p.nodes[3]);
  });

  it('leaves `to` alone when the parent was not copied (the pasted check then reads it no more)', () => {
    const p = withCheck();
    const { pipeline } = pasteNodes(p, copyNodes(p, ['child', 'chk'])!, { x: 0, y: 300 });
    const check = byName(pipeline, 'chk_1');
    expect(check.inputs).toEqual([byName(pipeline, 'child_1').id]);
    expect((check.config.rules as { to?: string }[])[0]!.to).toBe('parent');
  });

  it('renames every copied name at once, so that one new name is never renamed again', () => {
    // Into another pipeline, `x` becomes x_1 and `x_1` becomes x_2: one after the other, a
    // reference to `x` would end as x_2.
    const source: Pipeline = {
      ...emptyPipeline('a'),
      nodes: [
        { id: 'x', name: 'x', kind: 'seed', inputs: [], config: { columns: [{ name: 'id', type: 'BIGINT' }], rows: [] } },
        { id: 'x_1', name: 'x_1', kind: 'seed', inputs: [], config: { columns: [{ name: 'id', type: 'BIGINT' }], rows: [] } },
        { id: 'both', name: 'both', kind: 'sql', inputs: ['x', 'x_1'], config: { sql: ['select * from x join x_1 using (id)'] } },
      ],
    };
    const { pipeline } = pasteNodes(emptyPipeline('b'), copyNodes(source, ['x', 'x_1', 'both'])!, { x: 0, y: 0 });
    expect(pipeline.nodes.map((n) => n.name)).toEqual(['x_1', 'x_2', 'both_1']);
    expect(byName(pipeline, 'both_1').config.sql).toEqual(['select * from x_1 join x_2 using (id)']);
  });

  it('rewrites the fields a low-code kind declares as SQL too (a join condition)', () => {
    const p: Pipeline = {
      ...emptyPipeline('j'),
      nodes: [
        { id: 'a', name: 'a', kind: 'seed', inputs: [], config: { columns: [{ name: 'id', type: 'BIGINT' }], rows: [] } },
        { id: 'b', name: 'b', kind: 'seed', inputs: [], config: { columns: [{ name: 'id', type: 'BIGINT' }], rows: [] } },
        { id: 'j', name: 'j', kind: 'join', inputs: ['a', 'b'], config: { type: 'inner', on: [{ left: 'id', right: 'id' }], condition: 'a.id > b.id - 10' } },
      ],
    };
    const { pipeline } = pasteNodes(p, copyNodes(p, ['a', 'b', 'j'])!, { x: 0, y: 0 });
    expect(byName(pipeline, 'j_1').config.condition).toBe('a_1.id > b_1.id - 10');
  });
});
