import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { sortConfig, sortSql } from './config';

export * from './config';

export const sortKind = defineNodeKind({
  kind: 'sort',
  version: 1,
  label: 'Sort rows',
  category: 'transform',
  order: 22,
  summary: 'Orders rows by columns, ascending or descending',
  inputs: { min: 1, max: 1 },
  config: sortConfig,
  defaults: () => ({ by: [] }),
  fields: { 'by[].column': { type: 'column', input: 0 } },
  ...lowCodeParts(sortSql),
});
