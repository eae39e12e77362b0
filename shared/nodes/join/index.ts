import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { joinConfig, joinSql } from './config';

export * from './config';

export const joinKind = defineNodeKind({
  kind: 'join',
  version: 1,
  label: 'Join',
  category: 'transform',
  summary: 'Combines two inputs on matching columns (inner, left, right, full, semi, anti)',
  inputs: { min: 2, max: 2 },
  config: joinConfig,
  defaults: () => ({ type: 'left', on: [{ left: 'id', right: 'id' }], select: 'all' }),
  fields: {
    'on[].left': { type: 'column', input: 0 },
    'on[].right': { type: 'column', input: 1 },
    condition: { type: 'sql', form: 'expression', blankIsNone: true },
  },
  ...lowCodeParts(joinSql),
});
