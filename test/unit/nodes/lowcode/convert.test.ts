import { describe, expect, it } from 'vitest';
import { convertToSqlNode, lowCodeSql } from '../../../../shared/nodes/lowcode';
import { sqlConfig } from '../../../../shared/nodes/sql';
import type { PipelineNode } from '../../../../shared/pipeline/schema';

const node = (kind: string, config: Record<string, unknown>, inputs = ['n_batches']): PipelineNode => ({
  id: 'n_released',
  name: 'released',
  kind,
  description: 'Batches within the release specification',
  inputs,
  config,
});

describe('convert to SQL node', () => {
  it('keeps id, name, inputs and description, and holds the generated SQL as lines', () => {
    const filter = node('filter', { condition: 'viability_pct >= 70' });
    const converted = convertToSqlNode(filter, ['batches']);
    expect(converted).toEqual({
      id: 'n_released',
      name: 'released',
      kind: 'sql',
      description: 'Batches within the release specification',
      inputs: ['n_batches'],
      config: { sql: ['SELECT *', 'FROM batches', 'WHERE viability_pct >= 70'] },
    });
    // a valid SQL node config, the same lines the low-code node shows
    expect(sqlConfig.parse(converted.config).sql).toEqual((lowCodeSql('filter', filter.config, ['batches']) as { sql: string[] }).sql);
    expect(filter.kind).toBe('filter'); // the original is not changed
  });

  it.each([
    ['select', { columns: [{ name: 'a', rename: 'b' }] }, ['t']],
    ['join', { on: [{ left: 'k', right: 'k' }] }, ['l', 'r']],
    ['aggregate', { group_by: ['k'], aggregates: [{ fn: 'count' }] }, ['t']],
    ['union', {}, ['a', 'b']],
    ['deduplicate', { keys: ['k'] }, ['t']],
  ] as const)('converts a %s node', (kind, config, inputs) => {
    const converted = convertToSqlNode(node(kind, config, inputs.map((i) => `id_${i}`)), inputs);
    expect(converted.kind).toBe('sql');
    expect(converted.config.sql).toEqual((lowCodeSql(kind, config, inputs) as { sql: string[] }).sql);
    expect((converted.config.sql as string[]).every((l) => !l.includes('\n'))).toBe(true);
  });

  it('refuses other kinds and invalid configs with one line naming the node', () => {
    expect(() => convertToSqlNode(node('sql', { sql: ['select 1'] }), [])).toThrow(
      'node "released" is a sql node; only filter, sort, sample, select, compute_column, cast_columns, join, aggregate, window, time_bucket, fill_missing, union, pivot, unpivot, wide_to_long, deduplicate nodes convert to SQL',
    );
    expect(() => convertToSqlNode(node('select', { columns: [{ name: '' }] }), ['t'])).toThrow('node "released": columns[0].name: expected a column name');
    expect(() => convertToSqlNode(node('join', { on: [{ left: 'k', right: 'k' }] }), ['only_one'])).toThrow('node "released": a join node takes 2 inputs, got 1');
  });
});

describe('lowCodeSql for a form', () => {
  it('applies defaults and returns the parsed config with the SQL', () => {
    expect(lowCodeSql('union', {}, ['a', 'b'])).toEqual({
      ok: true,
      sql: ['SELECT * FROM a', 'UNION ALL BY NAME', 'SELECT * FROM b'],
      config: { by_name: true, distinct: false },
    });
  });

  it('never throws: config issues by field path, input problems as a whole', () => {
    expect(lowCodeSql('aggregate', { aggregates: [{ fn: 'sum' }] }, ['t'])).toEqual({
      ok: false,
      issues: [{ path: ['aggregates', 0, 'column'], message: 'expected the column sum reads' }],
    });
    expect(lowCodeSql('deduplicate', {}, [])).toEqual({ ok: false, issues: [{ path: [], message: 'a deduplicate node takes 1 input, got 0' }] });
    expect(lowCodeSql('filter', 'not an object', ['t']).ok).toBe(false);
  });
});
