import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { SAMPLE_NEEDS, sampleConfig, sampleSql } from './config';

export * from './config';

export const sampleKind = defineNodeKind({
  kind: 'sample',
  version: 1,
  label: 'Limit / sample rows',
  category: 'transform',
  order: 24,
  summary: 'Keeps the first N rows in an order, or a repeatable random sample of N rows or P%',
  inputs: { min: 1, max: 1 },
  config: sampleConfig,
  defaults: () => ({ mode: 'first', rows: 100 }),
  fields: { 'order_by[].column': { type: 'column', input: 0 } },
  form: { needs: { '': { by: 'mode', needs: SAMPLE_NEEDS } } },
  ...lowCodeParts(sampleSql),
});
