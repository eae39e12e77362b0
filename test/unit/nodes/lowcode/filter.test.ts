import { describe, expect, it } from 'vitest';
import { filterConfig, filterSql } from '../../../../shared/nodes/filter';

const sql = (config: unknown, inputs = ['batches']) => filterSql(filterConfig.parse(config), inputs);

describe('filter SQL', () => {
  it('keeps the rows where the condition holds', () => {
    expect(sql({ condition: 'viability_pct >= 70' })).toEqual(['SELECT *', 'FROM batches', 'WHERE viability_pct >= 70']);
  });

  it('drops them with the exact complement, so rows where the condition is NULL are kept', () => {
    expect(sql({ condition: 'viability_pct >= 70', mode: 'drop' })).toEqual([
      'SELECT *',
      'FROM batches',
      'WHERE (viability_pct >= 70) IS NOT TRUE',
    ]);
  });

  it('lays out a condition of several lines, or with a -- comment, so the comment cannot swallow SQL', () => {
    const condition = "viability_pct >= 70 -- release spec\nOR site = 'BOS';\n";
    expect(sql({ condition, mode: 'drop' })).toEqual([
      'SELECT *',
      'FROM batches',
      'WHERE (',
      '  viability_pct >= 70 -- release spec',
      "  OR site = 'BOS'",
      ') IS NOT TRUE',
    ]);
    expect(sql({ condition })).toEqual(['SELECT *', 'FROM batches', 'WHERE', '  viability_pct >= 70 -- release spec', "  OR site = 'BOS'"]);
    expect(sql({ condition: 'x > 1 -- why', mode: 'drop' })).toEqual(['SELECT *', 'FROM batches', 'WHERE (', '  x > 1 -- why', ') IS NOT TRUE']);
  });

  it('quotes an input whose name DuckDB reserves', () => {
    expect(sql({ condition: 'true' }, ['order'])[1]).toBe('FROM "order"');
  });

  it('refuses a blank condition, an unknown mode or field, and the wrong number of inputs', () => {
    expect(filterConfig.safeParse({ condition: '  ' }).error?.issues[0]).toMatchObject({ path: ['condition'], message: 'expected a condition' });
    expect(filterConfig.safeParse({ condition: 'x', mode: 'maybe' }).success).toBe(false);
    expect(filterConfig.safeParse({ condition: 'x', where: 'y' }).success).toBe(false);
    expect(() => sql({ condition: 'x' }, [])).toThrow('a filter node takes 1 input, got 0');
    expect(() => sql({ condition: 'x' }, ['a', 'b'])).toThrow('a filter node takes 1 input, got 2');
  });

  it('defaults mode to keep and describes its fields for a form', () => {
    expect(filterConfig.parse({ condition: 'x' })).toEqual({ condition: 'x', mode: 'keep' });
    expect(filterConfig.shape.condition.description).toMatch(/^Condition — /);
    expect(filterConfig.shape.mode.description).toMatch(/^Keep the rows/);
  });
});
