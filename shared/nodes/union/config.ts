import { z } from 'zod';
import { identifier, quoteIdent, quoteLiteral } from '../common';
import { expectInputs, inputRef } from '../lowcode-sql';

/** Stacks the rows of its inputs, in input order. */
export const unionConfig = z.strictObject({
  by_name: z
    .boolean()
    .default(true)
    .describe('Match columns by name — columns missing from an input become NULL; off: by position, as plain SQL UNION'),
  distinct: z.boolean().default(false).describe('Remove duplicate rows — UNION instead of UNION ALL'),
  source_column: identifier
    .optional()
    .describe('Source column — add a column of this name holding the name of the input each row came from'),
});
export type UnionConfig = z.output<typeof unionConfig>;

/** `SELECT * FROM a`, `UNION ALL BY NAME`, `SELECT * FROM b`, ... one input a line. */
export function unionSql(config: UnionConfig, inputNames: readonly string[]): string[] {
  const inputs = expectInputs('union', inputNames, 2, 16);
  const op = `UNION${config.distinct ? '' : ' ALL'}${config.by_name ? ' BY NAME' : ''}`;
  const source = config.source_column ? quoteIdent(config.source_column) : null;
  const out: string[] = [];
  inputs.forEach((name, i) => {
    if (i > 0) out.push(op);
    out.push(source ? `SELECT ${quoteLiteral(name)} AS ${source}, * FROM ${inputRef(name)}` : `SELECT * FROM ${inputRef(name)}`);
  });
  return out;
}
