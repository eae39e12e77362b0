import { describe, expect, it } from 'vitest';
import { lowCodeFieldHints, lowCodeSql } from '../../../../shared/nodes/lowcode';
import { sqlFieldsOf } from '../../../../shared/nodes/registry';
import { renameNode } from '../../../../shared/pipeline/rename';
import type { Pipeline } from '../../../../shared/pipeline/schema';

/**
 * The step kinds' declared roles at work: the form's widgets (column pickers, the SQL editor,
 * the type list), the sandbox's SQL fields, and renaming an input, which rewrites their SQL
 * and regenerates the SQL under the new name (the whole-row tie-breaker included).
 */
const pipeline: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'p',
  params: {},
  layout: {},
  nodes: [
    { id: 'r', name: 'readings', kind: 'seed', inputs: [], config: {} },
    { id: 'c', name: 'scaled', kind: 'compute_column', inputs: ['r'], config: { name: 'ph10', expression: 'readings.ph * 10' } },
    {
      id: 't',
      name: 'hourly',
      kind: 'time_bucket',
      inputs: ['r'],
      config: { time_column: 't', interval: '1 hour', aggregates: [{ fn: 'expression', expression: 'max(readings.ph) - min(readings.ph)', as: 'ph_range' }] },
    },
    { id: 'w', name: 'ranked', kind: 'window', inputs: ['r'], config: { order_by: [{ column: 't' }], functions: [{ fn: 'row_number', as: 'n' }] } },
  ],
};

describe('the step kinds\' roles', () => {
  it('give the form column pickers, an SQL editor and a type list', () => {
    expect(lowCodeFieldHints.compute_column).toEqual({ expression: { type: 'sql' } });
    expect(lowCodeFieldHints.cast_columns).toEqual({ 'columns[].name': { type: 'column', input: 0 }, 'columns[].type': { type: 'duckdb_type' } });
    expect(lowCodeFieldHints.window).toEqual({
      partition_by: { type: 'column', input: 0 },
      'order_by[].column': { type: 'column', input: 0 },
      'functions[].column': { type: 'column', input: 0 },
    });
    expect(Object.keys(lowCodeFieldHints.pivot)).toEqual(['group_by', 'column', 'value_column']);
  });

  it('hand the sandbox each typed SQL field', () => {
    expect(sqlFieldsOf('compute_column', pipeline.nodes[1]!.config).map((f) => [f.path, f.form])).toEqual([[['config', 'expression'], 'expression']]);
    expect(sqlFieldsOf('time_bucket', pipeline.nodes[2]!.config).map((f) => f.path)).toEqual([['config', 'aggregates', 0, 'expression']]);
  });

  it('follow a rename of their input', () => {
    const { pipeline: p, rewritten } = renameNode(pipeline, 'r', 'probe');
    expect(rewritten).toEqual(['scaled', 'hourly']);
    const node = (id: string) => p.nodes.find((n) => n.id === id)!;
    expect(node('c').config.expression).toBe('probe.ph * 10');
    expect((node('t').config.aggregates as { expression: string }[])[0]!.expression).toBe('max(probe.ph) - min(probe.ph)');
    expect(lowCodeSql('window', node('w').config, ['probe'])).toMatchObject({ ok: true, sql: expect.arrayContaining(['  row_number() OVER (ORDER BY "t" ASC NULLS LAST, probe) AS "n"']) });
  });
});
