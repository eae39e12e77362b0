import { defineNodeKind } from '../define';
import { lowCodeParts } from '../relation-sql';
import { joinConfig, joinSql } from './config';

export * from './config';
export * from './key-suggest';

export const joinKind = defineNodeKind({
  kind: 'join',
  version: 1,
  label: 'Join',
  category: 'transform',
  order: 40,
  summary: 'Combines two inputs on matching columns (inner, left, right, full, semi, anti)',
  inputs: { min: 2, max: 2 },
  config: joinConfig,
  // No keys until the inputs are known: the form fills in their common key (key-suggest.ts), or
  // leaves the keys empty and required; a made-up `id = id` would name columns that do not exist.
  defaults: () => ({ type: 'left', on: [], select: 'all' }),
  fields: {
    'on[].left': { type: 'column', input: 0 },
    'on[].right': { type: 'column', input: 1 },
    condition: { type: 'sql', form: 'expression', blankIsNone: true },
  },
  form: { keyPairs: 'on' },
  ...lowCodeParts(joinSql),
});
