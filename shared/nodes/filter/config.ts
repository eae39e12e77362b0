import { z } from 'zod';
import { expectInputs, fragmentLines, inputRef, isBlank, sqlFragment, wrapFragment } from '../lowcode-sql';

/** Keeps (or drops) the rows of its one input that match an SQL condition. */
export const filterConfig = z.strictObject({
  condition: sqlFragment
    .refine((s) => !isBlank(s), 'expected a condition')
    .describe('Condition — an SQL expression over the input columns, as after WHERE (e.g. viability_pct >= 70 AND site = \'BOS\')'),
  mode: z
    .enum(['keep', 'drop'])
    .default('keep')
    .describe('Keep the rows where the condition is true, or drop them and keep the rest (rows where it is NULL are kept by drop)'),
});
export type FilterConfig = z.output<typeof filterConfig>;

/**
 * keep: `WHERE condition` (NULL counts as not matching, as in SQL). drop: the exact
 * complement, `WHERE (condition) IS NOT TRUE`, so keep and drop together give every row.
 */
export function filterSql(config: FilterConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('filter', inputNames, 1, 1);
  const condition = fragmentLines(config.condition);
  const where = config.mode === 'keep' ? wrapFragment('WHERE ', condition, '') : wrapFragment('WHERE (', condition, ') IS NOT TRUE');
  return ['SELECT *', `FROM ${inputRef(input!)}`, ...where];
}
