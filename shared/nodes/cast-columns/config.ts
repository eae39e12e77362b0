import { z } from 'zod';
import { identifier, quoteIdent } from '../common';
import { columnName, expectInputs, inputRef, sameName } from '../lowcode-sql';
import { duckdbType } from '../select/config';

export const castColumn = z
  .strictObject({
    name: columnName.describe('Column — a column of the input'),
    type: duckdbType.optional().describe('New type — a DuckDB type such as DOUBLE, DATE or DECIMAL(10, 2) (empty keeps its type)'),
    try_cast: z.boolean().optional().describe('TRY_CAST — a value that cannot be converted becomes NULL instead of failing the run'),
    rename: identifier.optional().describe('New name — the name it gets in the output (empty keeps its name)'),
  })
  .superRefine((c, ctx) => {
    if (!c.type && !c.rename) ctx.addIssue({ code: 'custom', path: ['type'], message: 'expected a new type or a new name' });
    if (c.try_cast && !c.type) ctx.addIssue({ code: 'custom', path: ['try_cast'], message: 'expected a type to convert to' });
  });
export type CastColumn = z.output<typeof castColumn>;

/** Converts and renames columns of its one input in place, keeping every other column as it is. */
export const castColumnsConfig = z
  .strictObject({
    columns: z.array(castColumn).min(1, 'expected at least one column').describe('Columns — each with its new type and/or new name'),
  })
  .superRefine((cfg, ctx) => {
    cfg.columns.forEach((c, i) => {
      if (cfg.columns.findIndex((o) => sameName(o.name, c.name)) !== i) ctx.addIssue({ code: 'custom', path: ['columns', i, 'name'], message: `"${c.name}" is already listed` });
      const out = c.rename ?? c.name;
      const clash = cfg.columns.findIndex((o, j) => j !== i && sameName(o.rename ?? o.name, out));
      if (c.rename && clash >= 0) ctx.addIssue({ code: 'custom', path: ['columns', i, 'rename'], message: `the output already has a column "${out}" (columns[${clash}])` });
    });
  });
export type CastColumnsConfig = z.output<typeof castColumnsConfig>;

/**
 * `SELECT * REPLACE (CAST(...) AS "a")` converts in place, `SELECT * RENAME ("a" AS "b")` renames
 * in place; DuckDB refuses one column in both lists, so converting and renaming is the rename
 * over the conversion.
 */
export function castColumnsSql(config: CastColumnsConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('cast_columns', inputNames, 1, 1);
  const casts = config.columns.filter((c) => c.type).map((c) => `${c.try_cast ? 'TRY_CAST' : 'CAST'}(${quoteIdent(c.name)} AS ${c.type}) AS ${quoteIdent(c.name)}`);
  const renames = config.columns.filter((c) => c.rename && c.rename !== c.name).map((c) => `${quoteIdent(c.name)} AS ${quoteIdent(c.rename!)}`);
  const list = (items: string[]) => (items.length === 1 ? [`(${items[0]})`] : ['(', ...items.map((x, i) => `  ${x}${i < items.length - 1 ? ',' : ''}`), ')']);
  const clause = (keyword: string, items: string[]): string[] => {
    const [first, ...rest] = list(items);
    return [`SELECT * ${keyword} ${first}`, ...rest];
  };
  const from = `FROM ${inputRef(input!)}`;
  if (!renames.length) return [...clause('REPLACE', casts), from];
  if (!casts.length) return [...clause('RENAME', renames), from];
  return [...clause('RENAME', renames), 'FROM (', ...[...clause('REPLACE', casts), from].map((l) => `  ${l}`), ')'];
}
