import { describe, expect, it } from 'vitest';
import { selectConfig, selectSql } from '../../../../shared/nodes/select';

const sql = (config: unknown, inputs = ['raw']) => selectSql(selectConfig.parse(config), inputs);
const issues = (config: unknown) => selectConfig.safeParse(config).error?.issues.map((i) => [i.path.join('.'), i.message]);

describe('select SQL', () => {
  it('lists the chosen columns in order, quoted, renamed and converted', () => {
    const config = {
      columns: [
        { name: 'batch_id' },
        { name: 'Viability %', rename: 'viability_pct', cast: 'DOUBLE' },
        { name: 'cell_count', cast: 'DECIMAL(18, 3)', try_cast: true },
        { name: 'site', rename: 'site_code' },
      ],
    };
    expect(sql(config)).toEqual([
      'SELECT',
      '  "batch_id",',
      '  CAST("Viability %" AS DOUBLE) AS "viability_pct",',
      '  TRY_CAST("cell_count" AS DECIMAL(18, 3)) AS "cell_count",',
      '  "site" AS "site_code"',
      'FROM raw',
    ]);
  });

  it('keeps the other columns after the listed ones, less the removed ones', () => {
    expect(sql({ columns: [{ name: 'v', rename: 'value' }], rest: 'keep', exclude: ['notes', 'NOTES'] })).toEqual([
      'SELECT',
      '  "v" AS "value",',
      '  * EXCLUDE ("v", "notes")',
      'FROM raw',
    ]);
    expect(sql({ rest: 'keep', exclude: ['notes'] })).toEqual(['SELECT * EXCLUDE ("notes")', 'FROM raw']);
    expect(sql({ rest: 'keep' })).toEqual(['SELECT *', 'FROM raw']);
  });

  it('one column fits on one line; a quote in a name is doubled', () => {
    expect(sql({ columns: [{ name: 'a"b' }] })).toEqual(['SELECT "a""b"', 'FROM raw']);
  });

  it('refuses what cannot give a sensible SELECT', () => {
    expect(issues({ columns: [] })).toEqual([['columns', 'expected at least one column (or keep the other columns)']]);
    expect(issues({ columns: [{ name: 'a' }], exclude: ['b'] })).toEqual([
      ['exclude', 'columns are removed only when the other columns are kept (rest: keep)'],
    ]);
    expect(issues({ columns: [{ name: 'a' }, { name: 'b', rename: 'A' }] })).toEqual([
      ['columns.1.rename', 'the output already has a column "A" (columns[0])'],
    ]);
    expect(issues({ columns: [{ name: 'a' }], rest: 'keep', exclude: ['a'] })).toEqual([['exclude.0', '"a" is listed in columns; remove it there instead']]);
    expect(issues({ columns: [{ name: 'a', try_cast: true }] })).toEqual([['columns.0.try_cast', 'expected a type to convert to (cast)']]);
    expect(issues({ columns: [{ name: 'a', rename: 'has space' }] })?.[0]?.[0]).toBe('columns.0.rename');
  });

  it('accepts DuckDB type names but not other SQL in a cast', () => {
    for (const type of ['DOUBLE', 'decimal(10,2)', 'TIMESTAMP WITH TIME ZONE', 'VARCHAR[]', 'INTEGER[3]']) {
      expect(selectConfig.safeParse({ columns: [{ name: 'a', cast: type }] }).success, type).toBe(true);
    }
    for (const type of ['DOUBLE) AS x, (SELECT 1', 'INT; DROP TABLE t', '', '1INT']) {
      expect(selectConfig.safeParse({ columns: [{ name: 'a', cast: type }] }).success, type).toBe(false);
    }
  });
});
