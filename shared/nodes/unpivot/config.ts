import { z } from 'zod';
import { identifier, quoteIdent } from '../common';
import { columnList, columnName, expectInputs, inputRef, sameName } from '../lowcode-sql';
import { uniqueColumns } from '../lowcode-order';

/** Turns columns into rows (wide to long): one row per input row and listed column. */
export const unpivotConfig = z
  .strictObject({
    columns: z.array(columnName).min(1, 'expected at least one column').describe('Columns — the columns that become rows (the other columns repeat on each)'),
    name_column: identifier.default('name').describe('Names column — the output column holding each value\'s column name'),
    value_column: identifier.default('value').describe('Values column — the output column holding the values'),
    include_nulls: z.boolean().default(false).describe('Keep NULLs — also output a row where the value is NULL'),
  })
  .superRefine((cfg, ctx) => {
    uniqueColumns('listed')(cfg.columns, ctx, ['columns']);
    if (sameName(cfg.name_column, cfg.value_column)) ctx.addIssue({ code: 'custom', path: ['value_column'], message: 'expected a name other than the names column\'s' });
  });
export type UnpivotConfig = z.output<typeof unpivotConfig>;

/**
 * DuckDB's `UNPIVOT [INCLUDE NULLS] ("value" FOR "name" IN (columns))`. The columns must share a
 * type (or convert to one), as DuckDB asks; the reshape step converts them first.
 */
export function unpivotSql(config: UnpivotConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('unpivot', inputNames, 1, 1);
  return [
    'SELECT *',
    `FROM ${inputRef(input!)}`,
    `UNPIVOT${config.include_nulls ? ' INCLUDE NULLS' : ''} (`,
    `  ${quoteIdent(config.value_column)} FOR ${quoteIdent(config.name_column)} IN (${columnList(config.columns)})`,
    ')',
  ];
}
