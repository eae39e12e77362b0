import { z } from 'zod';
import type { Need } from '../form-needs';
import { identifier, quoteIdent } from '../common';
import { columnName, expectInputs, inputRef, selectList } from '../lowcode-sql';
import { checkNeeds } from '../lowcode-needs';
import { orderItem, orderTerm, orderWithTieBreak, partitionClause, uniqueColumns } from '../lowcode-order';

export const windowFn = z.enum([
  'row_number', 'rank', 'dense_rank', 'lag', 'lead', 'sum', 'avg', 'min', 'max', 'count', 'first_value', 'last_value',
]);
export type WindowFn = z.infer<typeof windowFn>;

type Decided = 'column' | 'offset' | 'frame' | 'rows';
const ranking: Record<Decided, Need> = { column: 'hidden', offset: 'hidden', frame: 'hidden', rows: 'hidden' };
const shift: Record<Decided, Need> = { column: 'required', offset: 'optional', frame: 'hidden', rows: 'hidden' };
const framed: Record<Decided, Need> = { column: 'required', offset: 'hidden', frame: 'optional', rows: 'optional' };

/** What each function reads of a window item's fields: the form shows these; the validation agrees. */
export const WINDOW_NEEDS: Readonly<Record<WindowFn, Readonly<Record<Decided, Need>>>> = {
  row_number: ranking,
  rank: ranking,
  dense_rank: ranking,
  lag: shift,
  lead: shift,
  sum: framed,
  avg: framed,
  min: framed,
  max: framed,
  count: { ...framed, column: 'optional' },
  first_value: framed,
  last_value: framed,
};

export const windowItem = z
  .strictObject({
    fn: windowFn.describe(
      'Function — row_number, rank, dense_rank (per group, in the order); lag / lead (the value rows before / after); ' +
        'sum, avg, min, max, count, first_value, last_value over a frame of rows',
    ),
    column: columnName.optional().describe('Column — the input column it reads (empty with count: count rows)'),
    offset: z.number().int().min(1).max(1_000_000).optional().describe('Offset — with lag / lead: how many rows back or ahead (default 1)'),
    frame: z
      .enum(['running', 'rolling', 'partition'])
      .optional()
      .describe('Frame — running: from the group\'s first row to this one (default); rolling: the last N rows; partition: the whole group'),
    rows: z.number().int().min(1).max(1_000_000).optional().describe('Rows — with a rolling frame: how many rows it spans, this one included'),
    as: identifier.describe('Output name — the name of the new column'),
  })
  .superRefine((w, ctx) => {
    checkNeeds(w, 'fn', WINDOW_NEEDS, ctx);
    if (w.frame === 'rolling' && w.rows === undefined) ctx.addIssue({ code: 'custom', path: ['rows'], message: 'expected how many rows a rolling frame spans' });
    if (w.rows !== undefined && w.frame !== 'rolling' && WINDOW_NEEDS[w.fn].rows !== 'hidden') {
      ctx.addIssue({ code: 'custom', path: ['rows'], message: 'rows is used only with a rolling frame' });
    }
  });
export type WindowItem = z.output<typeof windowItem>;

/** Adds window functions computed over groups of rows in an order: rankings, lag / lead, running and rolling aggregates. */
export const windowConfig = z
  .strictObject({
    partition_by: z.array(columnName).default([]).describe('Per group of — the columns whose values make a group (empty: all rows are one group)'),
    order_by: z.array(orderItem).default([]).describe('Order — how the rows of a group are ordered (then the whole row, so ties come out the same on every run)'),
    functions: z.array(windowItem).min(1, 'expected at least one function').describe('Functions — the columns to add'),
  })
  .superRefine((cfg, ctx) => {
    uniqueColumns('a group column')(cfg.partition_by, ctx, ['partition_by']);
    cfg.functions.forEach((f, i) => {
      if (cfg.functions.findIndex((o) => o.as.toLowerCase() === f.as.toLowerCase()) !== i) {
        ctx.addIssue({ code: 'custom', path: ['functions', i, 'as'], message: `"${f.as}" is already an output name` });
      }
    });
  });
export type WindowConfig = z.output<typeof windowConfig>;

const FRAMES = {
  running: 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW',
  partition: 'ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING',
} as const;

function call(w: WindowItem): string {
  const col = w.column ? quoteIdent(w.column) : '';
  switch (w.fn) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
      return `${w.fn}()`;
    case 'lag':
    case 'lead':
      return `${w.fn}(${col}, ${w.offset ?? 1})`;
    case 'count':
      return `count(${col || '*'})`;
    default:
      return `${w.fn}(${col})`;
  }
}

/**
 * One window per function, written out (`OVER (PARTITION BY ... ORDER BY ... frame)`), so each
 * reads on its own. Every order but rank's ends with the whole row, so row numbers, lag / lead
 * and frames are the same on every run; rank and dense_rank keep ties (that is what they rank).
 * The output is ordered by the groups and the order, as a time series is read.
 */
export function windowSql(config: WindowConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('window', inputNames, 1, 1);
  const from = inputRef(input!);
  const part = partitionClause(config.partition_by);
  const items = config.functions.map((w) => {
    const ranks = w.fn === 'rank' || w.fn === 'dense_rank';
    const order = ranks ? (config.order_by.length ? `ORDER BY ${config.order_by.map(orderTerm).join(', ')}` : '') : `ORDER BY ${orderWithTieBreak(config.order_by, from)}`;
    let frame = '';
    if (WINDOW_NEEDS[w.fn].frame !== 'hidden') {
      const kind = w.frame ?? 'running';
      frame = kind === 'rolling' ? ` ROWS BETWEEN ${w.rows! - 1} PRECEDING AND CURRENT ROW` : ` ${FRAMES[kind]}`;
    }
    return [`${call(w)} OVER (${`${part}${order}`.trim()}${frame}) AS ${quoteIdent(w.as)}`];
  });
  const out = [...selectList([['*'], ...items]), `FROM ${from}`];
  const sorted = [...config.partition_by.map(quoteIdent), ...config.order_by.map(orderTerm)];
  if (sorted.length) out.push(`ORDER BY ${sorted.join(', ')}`);
  return out;
}
