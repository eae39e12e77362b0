import { describe, expect, it } from 'vitest';
import { aggregateConfig, aggregateSql } from '../../../../shared/nodes/aggregate';

const sql = (config: unknown, inputs = ['batches']) => aggregateSql(aggregateConfig.parse(config), inputs);
const issues = (config: unknown) => aggregateConfig.safeParse(config).error?.issues.map((i) => [i.path.join('.'), i.message]);

describe('aggregate SQL', () => {
  it('groups and computes each function, named <fn>_<column> unless named', () => {
    const aggregates = [
      { fn: 'count' },
      { fn: 'count', column: 'viability_pct', as: 'measured' },
      { fn: 'count_distinct', column: 'operator' },
      { fn: 'sum', column: 'volume_ml' },
      { fn: 'avg', column: 'viability_pct' },
      { fn: 'min', column: 'started' },
      { fn: 'max', column: 'started' },
      { fn: 'median', column: 'cd3_pct' },
      { fn: 'stddev', column: 'cd3_pct' },
      { fn: 'first', column: 'batch_id', order_by: 'started' },
      { fn: 'last', column: 'batch_id', order_by: 'started' },
      { fn: 'string_agg', column: 'batch_id' },
      { fn: 'string_agg', column: 'operator', separator: "'; '", order_by: 'started', as: 'operators' },
      { fn: 'any_value', column: 'site_name' },
      { fn: 'expression', expression: 'sum(volume_ml) FILTER (WHERE released)', as: 'released_ml' },
    ];
    expect(sql({ group_by: ['site', 'product'], aggregates })).toEqual([
      'SELECT',
      '  "site",',
      '  "product",',
      '  count(*) AS "count",',
      '  count("viability_pct") AS "measured",',
      '  count(DISTINCT "operator") AS "count_distinct_operator",',
      '  sum("volume_ml") AS "sum_volume_ml",',
      '  avg("viability_pct") AS "avg_viability_pct",',
      '  min("started") AS "min_started",',
      '  max("started") AS "max_started",',
      '  median("cd3_pct") AS "median_cd3_pct",',
      '  stddev_samp("cd3_pct") AS "stddev_cd3_pct",',
      '  first("batch_id" ORDER BY "started") AS "first_batch_id",',
      '  last("batch_id" ORDER BY "started") AS "last_batch_id",',
      `  string_agg("batch_id", ', ' ORDER BY "batch_id") AS "string_agg_batch_id",`,
      `  string_agg("operator", '''; ''' ORDER BY "started") AS "operators",`,
      '  any_value("site_name") AS "any_value_site_name",',
      '  sum(volume_ml) FILTER (WHERE released) AS "released_ml"',
      'FROM batches',
      'GROUP BY "site", "product"',
    ]);
  });

  it('without groups gives one row; an expression of several lines or with a comment stays correct', () => {
    expect(sql({ aggregates: [{ fn: 'count', as: 'n' }] })).toEqual(['SELECT count(*) AS "n"', 'FROM batches']);
    expect(sql({ aggregates: [{ fn: 'expression', expression: 'sum(v) -- total\n  / count(*)', as: 'mean' }, { fn: 'count' }] })).toEqual([
      'SELECT',
      '  sum(v) -- total',
      '      / count(*) AS "mean",',
      '  count(*) AS "count"',
      'FROM batches',
    ]);
    expect(sql({ aggregates: [{ fn: 'expression', expression: 'sum(v) -- total', as: 'total' }] })).toEqual([
      'SELECT',
      '  sum(v) -- total',
      '    AS "total"',
      'FROM batches',
    ]);
  });

  it('groups alone give the distinct groups', () => {
    expect(sql({ group_by: ['site'] })).toEqual(['SELECT "site"', 'FROM batches', 'GROUP BY "site"']);
  });

  it('says what each aggregate is missing or does not use', () => {
    expect(issues({ aggregates: [] })).toEqual([['aggregates', 'expected at least one aggregate or group-by column']]);
    expect(
      issues({
        aggregates: [
          { fn: 'sum' },
          { fn: 'first', column: 'x' },
          { fn: 'expression', expression: ' ' },
          { fn: 'avg', column: 'x', expression: 'avg(x)', separator: ',', order_by: 'y' },
        ],
      }),
    ).toEqual([
      ['aggregates.0.column', 'expected the column sum reads'],
      ['aggregates.1.order_by', 'expected the column that decides which row is first (otherwise the result could change from run to run)'],
      ['aggregates.2.expression', 'expected an SQL expression'],
      ['aggregates.2.as', 'expected an output name for the expression'],
      ['aggregates.3.expression', 'an expression is used only with fn "expression"'],
      ['aggregates.3.order_by', 'order by is used only with first, last and string_agg'],
      ['aggregates.3.separator', 'a separator is used only with string_agg'],
    ]);
    expect(issues({ group_by: ['site', 'SITE'], aggregates: [{ fn: 'count', as: 'Site' }, { fn: 'min', column: 'v' }, { fn: 'max', column: 'v', as: 'min_v' }] })).toEqual([
      ['group_by.1', '"SITE" is already grouped by'],
      ['aggregates.0.as', 'the output already has a column "Site" (group_by[1]); choose another name'],
      ['aggregates.2.as', 'the output already has a column "min_v" (aggregates[1]); choose another name'],
    ]);
    expect(issues({ aggregates: [{ fn: 'mode', column: 'x' }] })?.[0]?.[0]).toBe('aggregates.0.fn');
  });
});
