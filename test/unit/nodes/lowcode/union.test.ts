import { describe, expect, it } from 'vitest';
import { unionConfig, unionSql } from '../../../../shared/nodes/union';

const sql = (config: unknown, inputs: string[]) => unionSql(unionConfig.parse(config), inputs);

describe('union SQL', () => {
  it('stacks every input by name, keeping duplicates, by default', () => {
    expect(sql({}, ['site_a', 'site_b', 'site_c'])).toEqual([
      'SELECT * FROM site_a',
      'UNION ALL BY NAME',
      'SELECT * FROM site_b',
      'UNION ALL BY NAME',
      'SELECT * FROM site_c',
    ]);
  });

  it('by position and distinct, with a column naming the input of each row', () => {
    expect(sql({ by_name: false, distinct: true, source_column: 'source' }, ['site_a', 'select'])).toEqual([
      `SELECT 'site_a' AS "source", * FROM site_a`,
      'UNION',
      `SELECT 'select' AS "source", * FROM "select"`,
    ]);
    expect(sql({ distinct: true }, ['a', 'b'])[1]).toBe('UNION BY NAME');
    expect(sql({ by_name: false }, ['a', 'b'])[1]).toBe('UNION ALL');
  });

  it('takes 2 to 16 inputs', () => {
    expect(() => sql({}, ['a'])).toThrow('a union node takes 2 to 16 inputs, got 1');
    expect(() => sql({}, Array.from({ length: 17 }, (_, i) => `t${i}`))).toThrow('got 17');
    expect(unionConfig.safeParse({ source_column: 'not an identifier' }).success).toBe(false);
  });
});
