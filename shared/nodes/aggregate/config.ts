import { z } from 'zod';
import type { Need } from '../form-needs';
import { identifier, quoteLiteral, quoteIdent } from '../common';
import {
  appendToFragment, columnList, columnName, expectInputs, fragmentLines, inputRef, isBlank, selectList, sqlFragment,
} from '../lowcode-sql';

export const aggregateFn = z.enum([
  'count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'median', 'stddev', 'first', 'last', 'string_agg', 'any_value', 'expression',
]);
export type AggregateFn = z.infer<typeof aggregateFn>;

/** The fields of an aggregate item whose need depends on its function. */
type DecidedField = 'column' | 'expression' | 'order_by' | 'separator' | 'as';

const reads = (extra: Partial<Record<DecidedField, Need>> = {}): Record<DecidedField, Need> => ({
  column: 'required', expression: 'hidden', order_by: 'hidden', separator: 'hidden', as: 'optional', ...extra,
});

/**
 * What each function needs of an aggregate's fields: the form shows only these (no expression,
 * order or separator for `avg`, whose column is required), and the validation below says what
 * is missing or unused from the same table.
 */
export const AGGREGATE_NEEDS: Readonly<Record<AggregateFn, Readonly<Record<DecidedField, Need>>>> = {
  count: reads({ column: 'optional' }),
  count_distinct: reads(),
  sum: reads(),
  avg: reads(),
  min: reads(),
  max: reads(),
  median: reads(),
  stddev: reads(),
  // Functions whose result depends on the order of the rows.
  first: reads({ order_by: 'required' }),
  last: reads({ order_by: 'required' }),
  string_agg: reads({ order_by: 'optional', separator: 'optional' }),
  any_value: reads(),
  expression: reads({ column: 'hidden', expression: 'required', as: 'required' }),
};

/** Functions that take a field, for "used only with …" messages. */
const usedBy = (field: DecidedField): AggregateFn[] => aggregateFn.options.filter((fn) => AGGREGATE_NEEDS[fn][field] !== 'hidden');

const MISSING: Record<DecidedField, (fn: AggregateFn) => string> = {
  column: (fn) => `expected the column ${fn} reads`,
  expression: () => 'expected an SQL expression',
  order_by: (fn) => `expected the column that decides which row is ${fn} (otherwise the result could change from run to run)`,
  separator: () => 'expected a separator',
  as: () => 'expected an output name for the expression',
};

const UNUSED: Record<DecidedField, (fn: AggregateFn) => string> = {
  column: () => 'fn "expression" reads columns in its SQL; leave column empty',
  expression: () => 'an expression is used only with fn "expression"',
  order_by: () => `order by is used only with ${listed(usedBy('order_by'))}`,
  separator: () => `a separator is used only with ${listed(usedBy('separator'))}`,
  as: () => 'an output name is not used here',
};

const listed = (names: readonly string[]): string => (names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? ''));

/** In the order the messages read: the expression and its name first, then the columns. */
const DECIDED_ORDER: readonly DecidedField[] = ['expression', 'as', 'column', 'order_by', 'separator'];

export const aggregateItem = z
  .strictObject({
    fn: aggregateFn.describe(
      'Function — count (rows, or non-NULL values of a column), count_distinct, sum, avg, min, max, median, ' +
        'stddev (sample), first / last (by an order), string_agg (values joined into text), any_value, or expression (SQL)',
    ),
    column: columnName.optional().describe('Column — the input column it reads (empty with count: count rows)'),
    expression: sqlFragment
      .optional()
      .describe('Expression — with fn expression: an SQL aggregate, e.g. sum(volume_ml) FILTER (WHERE passed)'),
    order_by: columnName
      .optional()
      .describe('Order by — for first, last and string_agg: the column that orders the rows (string_agg defaults to the values)'),
    separator: z.string().optional().describe('Separator — for string_agg: text between values (default ", ")'),
    as: identifier.optional().describe('Output name — the name of the result column (default: <fn>_<column>)'),
  })
  .superRefine((a, ctx) => {
    const needs = AGGREGATE_NEEDS[a.fn];
    for (const field of DECIDED_ORDER) {
      const value = a[field];
      const given = field === 'expression' ? !isBlank(a.expression) : value !== undefined && value !== '';
      if (needs[field] === 'required' && !given) ctx.addIssue({ code: 'custom', path: [field], message: MISSING[field](a.fn) });
      // A blank expression is "no expression" where one is asked for; where none is used, any value is one too many.
      const present = value !== undefined;
      if (needs[field] === 'hidden' && present) ctx.addIssue({ code: 'custom', path: [field], message: UNUSED[field](a.fn) });
    }
  });
export type AggregateItem = z.output<typeof aggregateItem>;

/** The name of an aggregate's output column. */
export function aggregateOutputName(a: AggregateItem): string {
  if (a.as) return a.as;
  return a.column ? `${a.fn}_${a.column}` : a.fn;
}

/** Groups the rows of its one input and computes aggregates per group (one row in all without groups). */
export const aggregateConfig = z
  .strictObject({
    group_by: z.array(columnName).default([]).describe('Group by — the columns whose values make a group (empty: one row for all input rows)'),
    aggregates: z.array(aggregateItem).default([]).describe('Aggregates — the values computed for each group'),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.group_by.length === 0 && cfg.aggregates.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['aggregates'], message: 'expected at least one aggregate or group-by column' });
    }
    const names = new Map<string, string>();
    cfg.group_by.forEach((g, i) => {
      if (names.has(g.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['group_by', i], message: `"${g}" is already grouped by` });
      names.set(g.toLowerCase(), `group_by[${i}]`);
    });
    cfg.aggregates.forEach((a, i) => {
      const out = aggregateOutputName(a);
      const clash = names.get(out.toLowerCase());
      if (clash) {
        ctx.addIssue({ code: 'custom', path: ['aggregates', i, 'as'], message: `the output already has a column "${out}" (${clash}); choose another name` });
      }
      names.set(out.toLowerCase(), `aggregates[${i}]`);
    });
  });
export type AggregateConfig = z.output<typeof aggregateConfig>;

const SIMPLE: Partial<Record<AggregateFn, string>> = {
  sum: 'sum', avg: 'avg', min: 'min', max: 'max', median: 'median', stddev: 'stddev_samp', any_value: 'any_value',
};

/** The aggregate's SQL as lines (only an expression may span lines); the time bucket step reuses it. */
export function aggregateLines(a: AggregateItem): string[] {
  const col = a.column ? quoteIdent(a.column) : '';
  const alias = ` AS ${quoteIdent(aggregateOutputName(a))}`;
  let call: string;
  switch (a.fn) {
    case 'expression':
      return appendToFragment(fragmentLines(a.expression!), alias, '  ');
    case 'count':
      call = `count(${col || '*'})`;
      break;
    case 'count_distinct':
      call = `count(DISTINCT ${col})`;
      break;
    case 'first':
    case 'last':
      call = `${a.fn}(${col} ORDER BY ${quoteIdent(a.order_by!)})`;
      break;
    case 'string_agg':
      // Ordered so the text is the same on every run, whatever order threads read rows in.
      call = `string_agg(${col}, ${quoteLiteral(a.separator ?? ', ')} ORDER BY ${a.order_by ? quoteIdent(a.order_by) : col})`;
      break;
    default:
      call = `${SIMPLE[a.fn]}(${col})`;
  }
  return [`${call}${alias}`];
}

/** `SELECT group columns, aggregates FROM input GROUP BY group columns`. */
export function aggregateSql(config: AggregateConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('aggregate', inputNames, 1, 1);
  const items = [...config.group_by.map((g) => [quoteIdent(g)]), ...config.aggregates.map(aggregateLines)];
  const out = [...selectList(items), `FROM ${inputRef(input!)}`];
  if (config.group_by.length) out.push(`GROUP BY ${columnList(config.group_by)}`);
  return out;
}
