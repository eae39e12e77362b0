import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { deduplicateConfig, deduplicateSql } from './config';

export * from './config';

export const deduplicateKind = defineNodeKind({
  kind: 'deduplicate',
  version: 1,
  label: 'Deduplicate',
  category: 'transform',
  order: 70,
  summary: 'Keeps one row per key: the first or last in a chosen order',
  inputs: { min: 1, max: 1 },
  config: deduplicateConfig,
  defaults: () => ({ keys: [], order_by: [], keep: 'first' }),
  fields: {
    keys: { type: 'column', input: 0 },
    'order_by[].column': { type: 'column', input: 0 },
  },
  ...lowCodeParts(deduplicateSql),
});
