import { z } from 'zod';
import { identifier, quoteIdent } from '../common';
import { expectInputs, fragmentLines, inputRef, isBlank, sqlFragment, wrapFragment } from '../lowcode-sql';

/** Adds a column computed by an SQL expression over the row (or replaces a column by it). */
export const computeColumnConfig = z.strictObject({
  name: identifier.describe('Column name — the name of the computed column'),
  expression: sqlFragment
    .refine((s) => !isBlank(s), 'expected an SQL expression')
    .describe('Expression — an SQL expression over the input columns, e.g. cell_count * volume_ml / 1e6'),
  replace: z
    .boolean()
    .default(false)
    .describe('Replace — the input has a column of this name: replace its values in place (otherwise the column is added at the end)'),
});
export type ComputeColumnConfig = z.output<typeof computeColumnConfig>;

/**
 * Add: `SELECT *, (expression) AS "name"`. Replace: `SELECT * REPLACE ((expression) AS "name")`,
 * which keeps the column's place (DuckDB refuses a name the input does not have). The
 * expression is inserted in brackets, so `a, b` is one value (a row), never a second column.
 */
export function computeColumnSql(config: ComputeColumnConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('compute_column', inputNames, 1, 1);
  const value = fragmentLines(config.expression);
  const alias = `) AS ${quoteIdent(config.name)}`;
  const select = config.replace ? wrapFragment('SELECT * REPLACE ((', value, `${alias})`) : wrapFragment('SELECT *, (', value, alias);
  return [...select, `FROM ${inputRef(input!)}`];
}
