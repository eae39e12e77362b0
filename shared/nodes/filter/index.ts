import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { filterConfig, filterSql } from './config';

export * from './config';

export const filterKind = defineNodeKind({
  kind: 'filter',
  version: 1,
  label: 'Filter rows',
  category: 'transform',
  order: 20,
  summary: 'Keeps or drops the rows that match a condition',
  inputs: { min: 1, max: 1 },
  config: filterConfig,
  defaults: () => ({ condition: 'true', mode: 'keep' }),
  fields: { condition: { type: 'sql', form: 'expression', blankIsNone: true } },
  ...lowCodeParts(filterSql),
});
