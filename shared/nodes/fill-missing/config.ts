import { z } from 'zod';
import type { Need } from '../form-needs';
import { quoteIdent, quoteLiteral } from '../common';
import { columnName, expectInputs, inputRef } from '../lowcode-sql';
import { checkNeeds } from '../lowcode-needs';
import { orderItem, orderTerm, orderWithTieBreak, partitionClause, uniqueColumns } from '../lowcode-order';

export const fillMethod = z.enum(['forward', 'backward', 'constant']);
export type FillMethod = z.infer<typeof fillMethod>;

/** Which fields each method reads: the form shows these; the validation agrees. */
export const FILL_NEEDS: Readonly<Record<FillMethod, Readonly<Record<string, Need>>>> = {
  forward: { partition_by: 'optional', order_by: 'required', value: 'hidden' },
  backward: { partition_by: 'optional', order_by: 'required', value: 'hidden' },
  constant: { partition_by: 'hidden', order_by: 'hidden', value: 'required' },
};

/** Fills NULLs in columns: with the last (or next) value in an order per group, or with a constant. */
export const fillMissingConfig = z
  .strictObject({
    columns: z.array(columnName).min(1, 'expected at least one column').describe('Columns — the columns whose NULLs are filled'),
    method: fillMethod
      .default('forward')
      .describe('Fill with — forward: the last value before, in the order; backward: the next value after; constant: a fixed value'),
    partition_by: z.array(columnName).default([]).describe('Per group of — a value is carried only within its group, e.g. per batch'),
    order_by: z.array(orderItem).default([]).describe('Order — the order values are carried in, e.g. by the reading\'s time'),
    value: z.string().optional().describe('Value — with constant: the value written in place of NULL (converted to the column\'s type)'),
  })
  .superRefine((cfg, ctx) => {
    uniqueColumns('listed')(cfg.columns, ctx, ['columns']);
    uniqueColumns('a group column')(cfg.partition_by, ctx, ['partition_by']);
    checkNeeds(cfg, 'method', FILL_NEEDS, ctx);
  });
export type FillMissingConfig = z.output<typeof fillMissingConfig>;

/**
 * forward: `* REPLACE (last_value(x IGNORE NULLS) OVER (PARTITION BY ... ORDER BY ..., <row>
 * ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS x)`; backward: first_value over the rows
 * from this one on; the whole row breaks ties in the order, so the value carried is the same on
 * every run. constant: `coalesce(x, 'value')`, the value a quoted literal that DuckDB converts to
 * the column's type (a value that does not convert fails the run, naming it).
 */
export function fillMissingSql(config: FillMissingConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('fill_missing', inputNames, 1, 1);
  const from = inputRef(input!);
  let fill: (col: string) => string;
  if (config.method === 'constant') {
    fill = (col) => `coalesce(${col}, ${quoteLiteral(config.value!)})`;
  } else {
    const forward = config.method === 'forward';
    const over = `${partitionClause(config.partition_by)}ORDER BY ${orderWithTieBreak(config.order_by, from)} ROWS BETWEEN ${
      forward ? 'UNBOUNDED PRECEDING AND CURRENT ROW' : 'CURRENT ROW AND UNBOUNDED FOLLOWING'
    }`;
    fill = (col) => `${forward ? 'last_value' : 'first_value'}(${col} IGNORE NULLS) OVER (${over})`;
  }
  const items = config.columns.map((c) => `${fill(quoteIdent(c))} AS ${quoteIdent(c)}`);
  const out = ['SELECT * REPLACE (', ...items.map((x, i) => `  ${x}${i < items.length - 1 ? ',' : ''}`), ')', `FROM ${from}`];
  const sorted = config.method === 'constant' ? [] : [...config.partition_by.map(quoteIdent), ...config.order_by.map(orderTerm)];
  if (sorted.length) out.push(`ORDER BY ${sorted.join(', ')}`);
  return out;
}
