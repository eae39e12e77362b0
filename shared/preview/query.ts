import { z } from 'zod';

/**
 * How a preview orders and filters a node's rows: done by DuckDB over the node's whole
 * relation, so the first rows shown are the first of all rows in that order, not of the
 * first thousand. A filter is a column, an operator and a value, never SQL text: the engine
 * quotes the column as a name and the value as a literal (engine/run/preview-query.ts).
 */
const columnName = z.string().min(1).max(256);

export const previewSort = z.strictObject({
  column: columnName,
  descending: z.boolean().optional(),
});
export type PreviewSort = z.infer<typeof previewSort>;

export const filterOps = ['=', '!=', '<', '<=', '>', '>=', 'contains', 'starts_with', 'is_null', 'not_null'] as const;
export const filterOp = z.enum(filterOps);
export type FilterOp = z.infer<typeof filterOp>;

/** Operators that compare with no value. */
export const VALUELESS_OPS: ReadonlySet<FilterOp> = new Set(['is_null', 'not_null']);

export const previewFilter = z
  .strictObject({
    column: columnName,
    op: filterOp,
    /** Compared as DuckDB compares a string literal with the column: converted to its type (numbers numerically, dates as dates). */
    value: z.union([z.string().max(1000), z.number(), z.boolean()]).optional(),
  })
  .superRefine((f, ctx) => {
    if (!VALUELESS_OPS.has(f.op) && f.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `expected a value to compare with (${f.op})` });
  });
export type PreviewFilter = z.infer<typeof previewFilter>;

export const previewOrderBy = z.array(previewSort).max(8);
export const previewFilters = z.array(previewFilter).max(16);

/** How an operator reads in the grid's filter chips. */
export const FILTER_OP_LABELS: Readonly<Record<FilterOp, string>> = {
  '=': '=',
  '!=': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  contains: 'contains',
  starts_with: 'starts with',
  is_null: 'is NULL',
  not_null: 'is not NULL',
};
