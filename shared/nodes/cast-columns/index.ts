import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { castColumnsConfig, castColumnsSql } from './config';

export * from './config';

export const castColumnsKind = defineNodeKind({
  kind: 'cast_columns',
  version: 1,
  label: 'Cast / rename columns',
  category: 'transform',
  order: 34,
  summary: 'Converts columns to other types (CAST or TRY_CAST) and renames them, in place',
  inputs: { min: 1, max: 1 },
  config: castColumnsConfig,
  defaults: () => ({ columns: [] }),
  fields: {
    'columns[].name': { type: 'column', input: 0 },
    'columns[].type': { type: 'duckdb_type' },
  },
  ...lowCodeParts(castColumnsSql),
});
