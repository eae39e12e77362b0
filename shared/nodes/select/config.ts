import { z } from 'zod';
import { identifier, quoteIdent } from '../common';
import { columnList, columnName, expectInputs, inputRef, sameName, selectList } from '../lowcode-sql';

/**
 * A DuckDB type name: `DOUBLE`, `DECIMAL(10, 2)`, `TIMESTAMP WITH TIME ZONE`, `VARCHAR[]`.
 * Checked so that a type field cannot carry other SQL (nested STRUCT/MAP types are left to
 * a SQL node).
 */
export const duckdbType = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]*(?: [A-Za-z][A-Za-z0-9_]*)*(?:\s*\(\s*\d+\s*(?:,\s*\d+\s*)?\))?(?:\[\d*\])*$/,
    'expected a DuckDB type such as DOUBLE, DATE, VARCHAR or DECIMAL(10, 2)',
  );

/** Types a form can offer in a list next to the free text field. */
export const commonDuckdbTypes = [
  'VARCHAR', 'BIGINT', 'INTEGER', 'DOUBLE', 'DECIMAL(18, 3)', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ',
] as const;

export const selectColumn = z
  .strictObject({
    name: columnName.describe('Column — a column of the input'),
    rename: identifier.optional().describe('Rename to — the name it gets in the output (empty keeps its name)'),
    cast: duckdbType.optional().describe('Convert to type — a DuckDB type such as DOUBLE, DATE or DECIMAL(10, 2) (empty keeps its type)'),
    try_cast: z
      .boolean()
      .optional()
      .describe('Lenient conversion — a value that cannot be converted becomes NULL instead of failing the run'),
  })
  .superRefine((c, ctx) => {
    if (c.try_cast && !c.cast) ctx.addIssue({ code: 'custom', path: ['try_cast'], message: 'expected a type to convert to (cast)' });
  });
export type SelectColumn = z.output<typeof selectColumn>;

/** Picks, orders, renames and converts the columns of its one input. */
export const selectConfig = z
  .strictObject({
    columns: z.array(selectColumn).default([]).describe('Columns — the columns to output, in this order'),
    rest: z
      .enum(['drop', 'keep'])
      .default('drop')
      .describe('Other columns — drop the columns not listed, or keep them after the listed ones, in their input order'),
    exclude: z
      .array(columnName)
      .default([])
      .describe('Remove columns — with other columns kept: input columns to leave out'),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.rest === 'drop' && cfg.columns.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message: 'expected at least one column (or keep the other columns)' });
    }
    if (cfg.rest === 'drop' && cfg.exclude.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['exclude'], message: 'columns are removed only when the other columns are kept (rest: keep)' });
    }
    const outputs = new Map<string, number>();
    cfg.columns.forEach((c, i) => {
      const out = (c.rename ?? c.name).toLowerCase();
      if (outputs.has(out)) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', i, c.rename ? 'rename' : 'name'],
          message: `the output already has a column "${c.rename ?? c.name}" (columns[${outputs.get(out)}])`,
        });
      }
      outputs.set(out, i);
    });
    cfg.exclude.forEach((x, i) => {
      if (cfg.columns.some((c) => sameName(c.name, x))) {
        ctx.addIssue({ code: 'custom', path: ['exclude', i], message: `"${x}" is listed in columns; remove it there instead` });
      }
    });
  });
export type SelectConfig = z.output<typeof selectConfig>;

function columnItem(c: SelectColumn): string {
  const source = quoteIdent(c.name);
  const value = c.cast ? `${c.try_cast ? 'TRY_CAST' : 'CAST'}(${source} AS ${c.cast})` : source;
  // A cast keeps the column's name unless renamed (DuckDB would name it after the expression).
  const alias = c.rename ?? (c.cast ? c.name : null);
  return alias === null || (value === source && alias === c.name) ? value : `${value} AS ${quoteIdent(alias)}`;
}

/**
 * rest drop: `SELECT` the listed columns. rest keep: the listed columns first, then
 * `* EXCLUDE (listed, removed)` for every other input column in its input order.
 */
export function selectSql(config: SelectConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('select', inputNames, 1, 1);
  const items = config.columns.map((c) => [columnItem(c)]);
  if (config.rest === 'keep') {
    const excluded: string[] = [];
    for (const name of [...config.columns.map((c) => c.name), ...config.exclude]) {
      if (!excluded.some((e) => sameName(e, name))) excluded.push(name);
    }
    items.push([excluded.length ? `* EXCLUDE (${columnList(excluded)})` : '*']);
  }
  return [...selectList(items), `FROM ${inputRef(input!)}`];
}
