import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { pivotConfig, pivotSql } from './config';

export * from './config';

export const pivotKind = defineNodeKind({
  kind: 'pivot',
  version: 1,
  label: 'Pivot (long to wide)',
  category: 'transform',
  order: 62,
  summary: 'Turns listed values of a column into columns, aggregated per row group',
  inputs: { min: 1, max: 1 },
  config: pivotConfig,
  defaults: () => ({ group_by: [], column: '', values: [], fn: 'sum' }),
  fields: {
    group_by: { type: 'column', input: 0 },
    column: { type: 'column', input: 0 },
    value_column: { type: 'column', input: 0 },
  },
  ...lowCodeParts(pivotSql),
});
