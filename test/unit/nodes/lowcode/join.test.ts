import { describe, expect, it } from 'vitest';
import { joinConfig, joinSql } from '../../../../shared/nodes/join';

const sql = (config: unknown, inputs = ['batches', 'assays']) => joinSql(joinConfig.parse(config), inputs);
const onBatch = [{ left: 'batch_id', right: 'batch_id' }];

describe('join SQL', () => {
  it('refers to the inputs by name, one condition a line, and shows a shared key once', () => {
    expect(sql({ on: onBatch })).toEqual([
      'SELECT',
      '  batches.*,',
      '  assays.* EXCLUDE ("batch_id")',
      'FROM batches',
      'INNER JOIN assays',
      '  ON batches."batch_id" = assays."batch_id"',
    ]);
  });

  it('fills the shared key from the right side in right and full joins', () => {
    for (const type of ['right', 'full'] as const) {
      expect(sql({ type, on: onBatch }).slice(0, 5)).toEqual([
        'SELECT',
        '  batches.* REPLACE (coalesce(batches."batch_id", assays."batch_id") AS "batch_id"),',
        '  assays.* EXCLUDE ("batch_id")',
        'FROM batches',
        `${type.toUpperCase()} JOIN assays`,
      ]);
    }
    expect(sql({ type: 'left', on: onBatch })[1]).toBe('  batches.*,');
  });

  it('keeps both columns of a pair with different names, and adds the extra condition in parentheses', () => {
    expect(sql({ type: 'left', on: [...onBatch, { left: 'site', right: 'site_code' }], condition: 'assays.ok OR assays.retest' })).toEqual([
      'SELECT',
      '  batches.*,',
      '  assays.* EXCLUDE ("batch_id")',
      'FROM batches',
      'LEFT JOIN assays',
      '  ON batches."batch_id" = assays."batch_id"',
      '  AND batches."site" = assays."site_code"',
      '  AND (assays.ok OR assays.retest)',
    ]);
  });

  it('joins on a condition alone, laying out one of several lines under ON', () => {
    expect(sql({ condition: 'assays.t >= batches.start\nAND assays.t < batches.stop' }, ['batches', 'assays'])).toEqual([
      'SELECT',
      '  batches.*,',
      '  assays.*',
      'FROM batches',
      'INNER JOIN assays',
      '  ON assays.t >= batches.start',
      '     AND assays.t < batches.stop',
    ]);
  });

  it('gives only the left columns for select left, semi and anti joins', () => {
    expect(sql({ type: 'semi', on: onBatch })).toEqual(['SELECT batches.*', 'FROM batches', 'SEMI JOIN assays', '  ON batches."batch_id" = assays."batch_id"']);
    expect(sql({ type: 'anti', on: onBatch })[2]).toBe('ANTI JOIN assays');
    expect(sql({ type: 'inner', on: onBatch, select: 'left' })[0]).toBe('SELECT batches.*');
  });

  it('needs something to join on, and exactly two inputs', () => {
    expect(joinConfig.safeParse({ on: [], condition: ' ' }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['on', 'expected at least one pair of columns to match on, or a condition'],
    ]);
    expect(joinConfig.safeParse({ type: 'cross', on: onBatch }).success).toBe(false);
    expect(() => sql({ on: onBatch }, ['batches'])).toThrow('a join node takes 2 inputs, got 1');
  });
});
