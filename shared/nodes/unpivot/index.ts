import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { unpivotConfig, unpivotSql } from './config';

export * from './config';

export const unpivotKind = defineNodeKind({
  kind: 'unpivot',
  version: 1,
  label: 'Unpivot (wide to long)',
  category: 'transform',
  order: 64,
  summary: 'Turns listed columns into name/value rows',
  inputs: { min: 1, max: 1 },
  config: unpivotConfig,
  defaults: () => ({ columns: [], name_column: 'name', value_column: 'value', include_nulls: false }),
  fields: { columns: { type: 'column', input: 0 } },
  ...lowCodeParts(unpivotSql),
});
