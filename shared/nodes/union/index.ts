import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { unionConfig, unionSql } from './config';

export * from './config';

export const unionKind = defineNodeKind({
  kind: 'union',
  version: 1,
  label: 'Union',
  category: 'transform',
  order: 60,
  summary: 'Stacks the rows of several inputs, matching columns by name',
  inputs: { min: 2, max: 16 },
  config: unionConfig,
  defaults: () => ({ by_name: true, distinct: false }),
  ...lowCodeParts(unionSql),
});
