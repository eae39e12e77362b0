import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { AGGREGATE_NEEDS, aggregateConfig, aggregateSql } from './config';

export * from './config';

export const aggregateKind = defineNodeKind({
  kind: 'aggregate',
  version: 1,
  label: 'Aggregate',
  category: 'transform',
  order: 50,
  summary: 'Groups rows and computes counts, sums, averages and more per group',
  inputs: { min: 1, max: 1 },
  config: aggregateConfig,
  defaults: () => ({ group_by: [], aggregates: [{ fn: 'count', as: 'row_count' }] }),
  fields: {
    group_by: { type: 'column', input: 0 },
    'aggregates[].column': { type: 'column', input: 0 },
    'aggregates[].order_by': { type: 'column', input: 0 },
    'aggregates[].expression': { type: 'sql', form: 'expression', blankIsNone: true },
  },
  // The form shows (and requires) an aggregate's fields as its function needs them.
  form: { needs: { 'aggregates[]': { by: 'fn', needs: AGGREGATE_NEEDS } } },
  ...lowCodeParts(aggregateSql),
});
