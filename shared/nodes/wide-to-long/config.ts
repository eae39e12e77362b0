import { z } from 'zod';
import { identifier, quoteIdent, quoteLiteral } from '../common';
import { columnList, columnName, expectInputs, inputRef, sameName } from '../lowcode-sql';
import type { Need } from '../form-needs';
import { checkNeeds } from '../lowcode-needs';
import { uniqueColumns } from '../lowcode-order';
import { duckdbType } from '../select/config';

export const wideMatch = z.enum(['pattern', 'list']);
export type WideMatch = z.infer<typeof wideMatch>;

export const WIDE_NEEDS: Readonly<Record<WideMatch, Readonly<Record<string, Need>>>> = {
  pattern: { pattern: 'required', columns: 'hidden' },
  list: { pattern: 'hidden', columns: 'required' },
};

/**
 * Reshapes a wide instrument export (a plate reader's A1...H12, a column per time point or
 * analyte) into long rows: the other columns, then the measured column's name and its value.
 * The values are converted to one type first, as UNPIVOT needs (exports often mix numbers and
 * text such as "<0.5").
 */
export const wideToLongConfig = z
  .strictObject({
    match: wideMatch.default('pattern').describe('Measured columns — by a pattern over their names, or a list'),
    pattern: z
      .string()
      .max(1000)
      .optional()
      .describe('Pattern — a regular expression (RE2) the measured columns\' names contain a match of, e.g. ^[A-H][0-9]+$ for plate wells'),
    columns: z.array(columnName).optional().describe('Columns — the measured columns'),
    name_column: identifier.default('name').describe('Names column — the output column holding each value\'s column name'),
    value_column: identifier.default('value').describe('Values column — the output column holding the values'),
    value_type: duckdbType.default('VARCHAR').describe('Value type — the type every value is converted to (UNPIVOT needs one type), e.g. DOUBLE'),
    try_cast: z.boolean().default(true).describe('TRY_CAST — a value that does not convert (e.g. "<0.5") becomes NULL instead of failing the run'),
    include_nulls: z.boolean().default(false).describe('Keep NULLs — also output a row where the value is NULL'),
  })
  .superRefine((cfg, ctx) => {
    checkNeeds(cfg, 'match', WIDE_NEEDS, ctx);
    if (cfg.columns) uniqueColumns('listed')(cfg.columns, ctx, ['columns']);
    if (sameName(cfg.name_column, cfg.value_column)) ctx.addIssue({ code: 'custom', path: ['value_column'], message: 'expected a name other than the names column\'s' });
  });
export type WideToLongConfig = z.output<typeof wideToLongConfig>;

/**
 * A list: `SELECT * REPLACE (TRY_CAST("A1" AS DOUBLE) AS "A1", ...)`, then UNPIVOT over the
 * list. A pattern: `SELECT COLUMNS(lambda c: NOT regexp_matches(c, 'p')), TRY_CAST(COLUMNS('p')
 * AS DOUBLE)` (the other columns first, in their order, then the converted measured ones),
 * then `UNPIVOT (... IN (COLUMNS('p')))`. The pattern is a quoted literal; DuckDB reports one
 * that matches no column.
 */
export function wideToLongSql(config: WideToLongConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('wide_to_long', inputNames, 1, 1);
  const convert = (col: string) => `${config.try_cast ? 'TRY_CAST' : 'CAST'}(${col} AS ${config.value_type})`;
  let inner: string[];
  let measured: string;
  if (config.match === 'pattern') {
    const p = quoteLiteral(config.pattern!);
    inner = ['SELECT', `  COLUMNS(lambda c: NOT regexp_matches(c, ${p})),`, `  ${convert(`COLUMNS(${p})`)}`];
    measured = `COLUMNS(${p})`;
  } else {
    const cols = config.columns!;
    inner = ['SELECT * REPLACE (', ...cols.map((c, i) => `  ${convert(quoteIdent(c))} AS ${quoteIdent(c)}${i < cols.length - 1 ? ',' : ''}`), ')'];
    measured = columnList(cols);
  }
  return [
    'SELECT *',
    'FROM (',
    ...[...inner, `FROM ${inputRef(input!)}`].map((l) => `  ${l}`),
    ')',
    `UNPIVOT${config.include_nulls ? ' INCLUDE NULLS' : ''} (`,
    `  ${quoteIdent(config.value_column)} FOR ${quoteIdent(config.name_column)} IN (${measured})`,
    ')',
  ];
}
