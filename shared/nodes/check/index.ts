import { count } from '../../format';
import { defineNodeKind } from '../define';
import { compileCheck, ruleSql } from './compile';
import { checkConfig } from './config';

export * from './config';
export * from './compile';
export * from './describe-rule';
export * from './rule-sql';

export const checkKind = defineNodeKind({
  kind: 'check',
  version: 1,
  label: 'Quality check',
  category: 'check',
  order: 10,
  summary: 'Rules its input must pass (not null, unique, accepted values, range...); passes the rows on unchanged',
  // The first input is the relation checked; more inputs are what relationship and query rules read.
  inputs: { min: 1, max: 16 },
  config: checkConfig,
  defaults: () => ({ rules: [{ type: 'row_count', min: 1 }] }),
  fields: {
    'rules[].where': { type: 'sql', form: 'expression' },
    'rules[].expression': { type: 'sql', form: 'expression' },
    'rules[].sql': { type: 'sql', form: 'query' },
    'rules[].column': { type: 'column', input: 0 },
    'rules[].columns': { type: 'column', input: 0 },
    'rules[].to': { type: 'node' },
    'rules[].field': { type: 'column', of: 'to' },
  },
  compile: compileCheck,
  queries(config, at) {
    const checked = at.inputNames[0];
    return checked === undefined ? [] : config.rules.map((r) => ruleSql(r, checked));
  },
  detail: (config) => count(config.rules.length, 'rule'),
});
