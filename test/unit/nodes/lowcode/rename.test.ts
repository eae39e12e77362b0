import { describe, expect, it } from 'vitest';
import { lowCodeSql } from '../../../../shared/nodes/lowcode';
import { renameNode } from '../../../../shared/pipeline/rename';
import type { Pipeline } from '../../../../shared/pipeline/schema';

const pipeline: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'p',
  params: {},
  layout: {},
  nodes: [
    { id: 'b', name: 'batches', kind: 'seed', inputs: [], config: {} },
    { id: 'a', name: 'assays', kind: 'seed', inputs: [], config: {} },
    {
      id: 'j',
      name: 'joined',
      kind: 'join',
      inputs: ['b', 'a'],
      config: { on: [{ left: 'batch_id', right: 'batch_id' }], condition: 'assays.measured_at >= batches.started' },
    },
    { id: 'f', name: 'recent', kind: 'filter', inputs: ['b'], config: { condition: "batches.started > DATE '2026-01-01'" } },
    { id: 'g', name: 'per_site', kind: 'aggregate', inputs: ['b'], config: { aggregates: [{ fn: 'expression', expression: 'count(batches.site)', as: 'n' }] } },
  ],
};

describe('renaming an input of a low-code node', () => {
  it('rewrites the name in conditions and expressions; the generated SQL follows the new name', () => {
    const { pipeline: p, rewritten } = renameNode(pipeline, 'b', 'lots');
    expect(rewritten).toEqual(['joined', 'recent', 'per_site']);
    const node = (id: string) => p.nodes.find((n) => n.id === id)!;
    expect(node('j').config.condition).toBe('assays.measured_at >= lots.started');
    expect(node('f').config.condition).toBe("lots.started > DATE '2026-01-01'");
    expect(lowCodeSql('join', node('j').config, ['lots', 'assays'])).toMatchObject({
      ok: true,
      sql: [
        'SELECT',
        '  lots.*,',
        '  assays.* EXCLUDE ("batch_id")',
        'FROM lots',
        'INNER JOIN assays',
        '  ON lots."batch_id" = assays."batch_id"',
        '  AND (assays.measured_at >= lots.started)',
      ],
    });
    expect(lowCodeSql('aggregate', node('g').config, ['lots'])).toMatchObject({ ok: true, sql: ['SELECT count(lots.site) AS "n"', 'FROM lots'] });
  });
});
