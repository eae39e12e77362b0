// shared/nodes/limit/index.ts
import { z } from 'zod';
import { columnName, expectInputs, inputRef } from '../../../../../../../shared/nodes/lowcode-sql';
import { quoteIdent } from '../../../../../../../shared/nodes/common';
import { defineNodeKind } from '../../../../../../../shared/nodes/define';
import { lowCodeParts } from '../../../../../../../shared/nodes/relation-sql';

export const limitConfig = z.strictObject({
  rows: z.number().int().positive().describe('Rows — how many rows to keep'),
  order_by: z
    .array(columnName)
    .default([])
    .describe('Order by — the columns that decide which rows come first (then every column, so ties keep the same rows)'),
});
export type LimitConfig = z.output<typeof limitConfig>;

/** `SELECT * FROM input ORDER BY ... LIMIT n`: ordered, so the same input keeps the same rows. */
export function limitSql(config: LimitConfig, inputNames: readonly string[]): string[] {
  const [input] = expectInputs('limit', inputNames, 1, 1);
  const order = config.order_by.length ? `${config.order_by.map(quoteIdent).join(', ')}, COLUMNS(*)` : 'ALL';
  return ['SELECT *', `FROM ${inputRef(input!)}`, `ORDER BY ${order}`, `LIMIT ${config.rows}`];
}

export const limitKind = defineNodeKind({
  kind: 'limit',
  version: 1,
  label: 'Limit rows',
  category: 'transform',
  order: 80, // in the palette: after the other transforms (deduplicate is 70)
  summary: 'Keeps the first rows in a given order',
  inputs: { min: 1, max: 1 },
  config: limitConfig,
  defaults: () => ({ rows: 100, order_by: [] }),
  // Column pickers in the form, and (next) column lineage, read this.
  fields: { order_by: { type: 'column', input: 0 } },
  // A low-code transform: its SELECT is shown beside the form, runs as a view, and converts to a SQL node.
  ...lowCodeParts(limitSql),
});
