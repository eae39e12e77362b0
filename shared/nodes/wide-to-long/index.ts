import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { WIDE_NEEDS, wideToLongConfig, wideToLongSql } from './config';

export * from './config';

export const wideToLongKind = defineNodeKind({
  kind: 'wide_to_long',
  version: 1,
  label: 'Reshape wide to long',
  category: 'transform',
  order: 66,
  summary: 'Turns a wide instrument export\'s measured columns (by pattern or list) into name/value rows',
  inputs: { min: 1, max: 1 },
  config: wideToLongConfig,
  defaults: () => ({ match: 'pattern', pattern: '^[A-H][0-9]+$', name_column: 'well', value_column: 'value', value_type: 'DOUBLE', try_cast: true, include_nulls: false }),
  fields: {
    columns: { type: 'column', input: 0 },
    value_type: { type: 'duckdb_type' },
  },
  form: { needs: { '': { by: 'match', needs: WIDE_NEEDS } } },
  ...lowCodeParts(wideToLongSql),
});
