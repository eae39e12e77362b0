import { z } from 'zod';
import { quoteIdent, quoteLiteral } from '../common';
import { columnList, columnName, expectInputs, inputRef, sameName } from '../lowcode-sql';
import { uniqueColumns } from '../lowcode-order';

export const pivotFn = z.enum(['sum', 'avg', 'min', 'max', 'count', 'count_distinct', 'median']);

/**
 * Turns the values of one column into columns (long to wide), one row per group. The values are
 * listed in the config, not found in the data: the output's columns are then known before a run
 * (the designer, lineage and downstream SQL see them), and a new value in the data never adds a
 * column to a published table unnoticed.
 */
export const pivotConfig = z
  .strictObject({
    group_by: z.array(columnName).default([]).describe('Rows — the columns whose values make an output row (empty: every column not pivoted)'),
    column: columnName.describe('Names column — the column whose values become column names'),
    values: z
      .array(z.string().min(1, 'expected a value'))
      .min(1, 'expected at least one value')
      .max(1000, 'expected at most 1,000 values')
      .describe('Values — the values of the names column that become columns, one per line (a row with another value is left out)'),
    fn: pivotFn.default('sum').describe('Aggregate — how the values of a cell are combined: sum, avg, min, max, count, count_distinct or median'),
    value_column: columnName.optional().describe('Values column — the column aggregated into the cells (empty with count: count rows)'),
  })
  .superRefine((cfg, ctx) => {
    uniqueColumns('a row column')(cfg.group_by, ctx, ['group_by']);
    cfg.values.forEach((v, i) => {
      if (cfg.values.indexOf(v) !== i) ctx.addIssue({ code: 'custom', path: ['values', i], message: `"${v}" is already listed` });
    });
    if (!cfg.value_column && cfg.fn !== 'count') ctx.addIssue({ code: 'custom', path: ['value_column'], message: `expected the column ${cfg.fn} reads` });
    if (cfg.group_by.some((g) => sameName(g, cfg.column))) ctx.addIssue({ code: 'custom', path: ['column'], message: 'the names column cannot also be a row column' });
  });
export type PivotConfig = z.output<typeof pivotConfig>;

function aggregate(cfg: PivotConfig): string {
  const col = cfg.value_column ? quoteIdent(cfg.value_column) : '*';
  if (cfg.fn === 'count_distinct') return `count(DISTINCT ${col})`;
  return `${cfg.fn}(${col})`;
}

/** DuckDB's `PIVOT (agg FOR column IN (values) GROUP BY rows)`, the values as quoted literals. */
export function pivotSql(config: PivotConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('pivot', inputNames, 1, 1);
  const out = [
    'SELECT *',
    `FROM ${inputRef(input!)}`,
    'PIVOT (',
    `  ${aggregate(config)}`,
    `  FOR ${quoteIdent(config.column)} IN (${config.values.map(quoteLiteral).join(', ')})`,
  ];
  if (config.group_by.length) out.push(`  GROUP BY ${columnList(config.group_by)}`);
  out.push(')');
  if (config.group_by.length) out.push(`ORDER BY ${columnList(config.group_by)}`);
  return out;
}
