import { z } from 'zod';
import { quoteIdent } from '../common';
import { columnName, expectInputs, inputRef } from '../lowcode-sql';
import { uniqueColumns } from '../lowcode-order';

export const sortItem = z.strictObject({
  column: columnName.describe('Column — a column of the input'),
  direction: z.enum(['asc', 'desc']).default('asc').describe('Direction — ascending (smallest first) or descending'),
  nulls: z.enum(['last', 'first']).default('last').describe('NULLs — where rows without a value go'),
});

/** Orders the rows of its one input. */
export const sortConfig = z
  .strictObject({
    by: z.array(sortItem).default([]).describe('Sort by — the columns to order by, the first deciding first (empty: every column, left to right)'),
  })
  .superRefine((cfg, ctx) => uniqueColumns('sorted by')(cfg.by.map((b) => b.column), ctx, ['by']));
export type SortConfig = z.output<typeof sortConfig>;

/**
 * `SELECT * FROM input ORDER BY ...`. No columns: `ORDER BY ALL` (every column, left to right),
 * which is also a total order, so the same input always comes out the same.
 */
export function sortSql(config: SortConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('sort', inputNames, 1, 1);
  const by = config.by.map((b) => `${quoteIdent(b.column)} ${b.direction === 'desc' ? 'DESC' : 'ASC'} NULLS ${b.nulls === 'first' ? 'FIRST' : 'LAST'}`);
  return ['SELECT *', `FROM ${inputRef(input!)}`, `ORDER BY ${by.length ? by.join(', ') : 'ALL'}`];
}
