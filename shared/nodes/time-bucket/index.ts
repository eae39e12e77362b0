import { AGGREGATE_NEEDS } from '../aggregate/config';
import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { timeBucketConfig, timeBucketSql } from './config';

export * from './config';

export const timeBucketKind = defineNodeKind({
  kind: 'time_bucket',
  version: 1,
  label: 'Time bucket (downsample)',
  category: 'transform',
  order: 54,
  summary: 'Groups readings into fixed time buckets (time_bucket) with aggregates per bucket and group',
  inputs: { min: 1, max: 1 },
  config: timeBucketConfig,
  defaults: () => ({ time_column: '', interval: '15 minutes', group_by: [], aggregates: [{ fn: 'count', as: 'readings' }], bucket_as: 'bucket' }),
  fields: {
    time_column: { type: 'column', input: 0 },
    group_by: { type: 'column', input: 0 },
    'aggregates[].column': { type: 'column', input: 0 },
    'aggregates[].order_by': { type: 'column', input: 0 },
    'aggregates[].expression': { type: 'sql', form: 'expression', blankIsNone: true },
  },
  form: { needs: { 'aggregates[]': { by: 'fn', needs: AGGREGATE_NEEDS } } },
  ...lowCodeParts(timeBucketSql),
});
