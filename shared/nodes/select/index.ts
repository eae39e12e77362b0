import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { selectConfig, selectSql } from './config';

export * from './config';

export const selectKind = defineNodeKind({
  kind: 'select',
  version: 1,
  label: 'Select / rename columns',
  category: 'transform',
  order: 30,
  summary: 'Picks, orders, renames and converts columns',
  inputs: { min: 1, max: 1 },
  config: selectConfig,
  defaults: () => ({ columns: [], rest: 'keep', exclude: [] }),
  fields: {
    'columns[].name': { type: 'column', input: 0 },
    'columns[].cast': { type: 'duckdb_type' },
    exclude: { type: 'column', input: 0 },
  },
  ...lowCodeParts(selectSql),
});
