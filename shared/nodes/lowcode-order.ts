import { z } from 'zod';
import { quoteIdent } from './common';
import { columnName } from './lowcode-sql';

/**
 * What the step kinds that order rows share (sort, sample, window, fill missing): an order
 * item, its SQL, and the whole row as the last tie-breaker, so that a ranking, a frame or a
 * forward fill gives the same rows on every run whatever order threads read them in.
 */
export const orderItem = z.strictObject({
  column: columnName.describe('Column — a column of the input'),
  direction: z.enum(['asc', 'desc']).default('asc').describe('Direction — ascending or descending (NULLs sort last)'),
});
export type OrderItem = z.output<typeof orderItem>;

/** `"t" DESC NULLS LAST`: NULLs last whichever the direction, as the sort kind's default. */
export function orderTerm(o: OrderItem): string {
  return `${quoteIdent(o.column)} ${o.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`;
}

/**
 * The order terms followed by the input's whole row (its name as a struct), so ties are broken
 * the same way on every run. (A column named like the input itself would be what breaks ties.)
 */
export function orderWithTieBreak(order: readonly OrderItem[], inputRef: string): string {
  return [...order.map(orderTerm), inputRef].join(', ');
}

/** `PARTITION BY "a", "b" ` (with its trailing space), or nothing. */
export function partitionClause(columns: readonly string[]): string {
  return columns.length ? `PARTITION BY ${columns.map(quoteIdent).join(', ')} ` : '';
}

/** A list of column names where each may appear once (DuckDB compares names case-insensitively). */
export function uniqueColumns(what: string) {
  return (names: readonly string[], ctx: z.RefinementCtx, path: (string | number)[]): void => {
    names.forEach((n, i) => {
      if (names.findIndex((o) => o.toLowerCase() === n.toLowerCase()) !== i) {
        ctx.addIssue({ code: 'custom', path: [...path, i], message: `"${n}" is already ${what}` });
      }
    });
  };
}
