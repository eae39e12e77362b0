import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { computeColumnConfig, computeColumnSql } from './config';

export * from './config';

export const computeColumnKind = defineNodeKind({
  kind: 'compute_column',
  version: 1,
  label: 'Compute column',
  category: 'transform',
  order: 32,
  summary: 'Adds (or replaces) a column computed by an SQL expression',
  inputs: { min: 1, max: 1 },
  config: computeColumnConfig,
  defaults: () => ({ name: 'computed', expression: '1' }),
  fields: { expression: { type: 'sql', form: 'expression', blankIsNone: true } },
  ...lowCodeParts(computeColumnSql),
});
