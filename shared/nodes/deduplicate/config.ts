import { z } from 'zod';
import { quoteIdent } from '../common';
import { columnList, columnName, expectInputs, inputRef, sameName } from '../lowcode-sql';

export const dedupOrder = z.strictObject({
  column: columnName.describe('Column — a column of the input'),
  direction: z.enum(['asc', 'desc']).default('asc').describe('Direction — ascending or descending (NULLs sort last)'),
});

/** Keeps one row per key from its one input. */
export const deduplicateConfig = z
  .strictObject({
    keys: z
      .array(columnName)
      .default([])
      .describe('Key columns — rows with the same values in these are duplicates (empty: rows equal in every column)'),
    order_by: z
      .array(dedupOrder)
      .default([])
      .describe('Order — how the rows of a key are ordered, to choose the one kept'),
    keep: z.enum(['first', 'last']).default('first').describe('Keep — the first or the last row of each key, in that order'),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.keys.length === 0 && cfg.order_by.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['order_by'], message: 'an order is used only with key columns (without keys, fully equal rows are merged)' });
    }
    cfg.keys.forEach((k, i) => {
      if (cfg.keys.findIndex((o) => sameName(o, k)) !== i) ctx.addIssue({ code: 'custom', path: ['keys', i], message: `"${k}" is already a key column` });
    });
  });
export type DeduplicateConfig = z.output<typeof deduplicateConfig>;

/**
 * Without keys: `SELECT DISTINCT *`. With keys: `QUALIFY row_number() OVER (PARTITION BY
 * keys ORDER BY order, <the whole row>) = 1`. The whole row (the input name as a struct)
 * breaks ties, so the same input always keeps the same row and gives the same output hash.
 * keep last reverses the whole order, NULL placement included.
 */
export function deduplicateSql(config: DeduplicateConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('deduplicate', inputNames, 1, 1);
  const from = inputRef(input!);
  if (config.keys.length === 0) return ['SELECT DISTINCT *', `FROM ${from}`];
  const last = config.keep === 'last';
  const order = config.order_by.map((o) => {
    const desc = (o.direction === 'desc') !== last;
    return `${quoteIdent(o.column)} ${desc ? 'DESC' : 'ASC'} NULLS ${last ? 'FIRST' : 'LAST'}`;
  });
  order.push(last ? `${from} DESC` : from);
  return [
    'SELECT *',
    `FROM ${from}`,
    'QUALIFY row_number() OVER (',
    `  PARTITION BY ${columnList(config.keys)}`,
    `  ORDER BY ${order.join(', ')} -- the whole row breaks ties`,
    ') = 1',
  ];
}
