import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { FILL_NEEDS, fillMissingConfig, fillMissingSql } from './config';

export * from './config';

export const fillMissingKind = defineNodeKind({
  kind: 'fill_missing',
  version: 1,
  label: 'Fill missing values',
  category: 'transform',
  order: 56,
  summary: 'Fills NULLs forward or backward per group in an order, or with a constant',
  inputs: { min: 1, max: 1 },
  config: fillMissingConfig,
  defaults: () => ({ columns: [], method: 'forward', partition_by: [], order_by: [] }),
  fields: {
    columns: { type: 'column', input: 0 },
    partition_by: { type: 'column', input: 0 },
    'order_by[].column': { type: 'column', input: 0 },
  },
  form: { needs: { '': { by: 'method', needs: FILL_NEEDS } } },
  ...lowCodeParts(fillMissingSql),
});
