import { z } from 'zod';
import { sqlLines, sqlText } from '../common';

export const sqlConfig = z.strictObject({
  /** `view` is computed on use; `table` is computed once (chosen automatically where a node fans out). */
  materialize: z.enum(['auto', 'view', 'table']).default('auto'),
  sql: sqlLines.min(1, 'expected SQL'),
});
export type SqlConfig = z.infer<typeof sqlConfig>;

/** The SQL an analyst wrote, without trailing semicolons or blank lines. */
export function userSql(lines: readonly string[]): string {
  return sqlText(lines).replace(/[\s;]+$/, '');
}
