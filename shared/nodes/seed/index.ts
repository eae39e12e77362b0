import { count } from '../../format';
import { defineNodeKind } from '../define';
import { seedConfig } from './config';
import { seedStatements } from './statements';

export * from './config';
export * from './statements';

export const seedKind = defineNodeKind({
  kind: 'seed',
  version: 1,
  label: 'Seed rows',
  category: 'source',
  order: 40,
  summary: 'A small table typed inline, such as a lookup or specification list',
  inputs: { min: 0, max: 0 },
  config: seedConfig,
  defaults: () => ({ columns: [{ name: 'code', type: 'VARCHAR' }], rows: [['A']] }),
  compile: (config, at) => ({ relation: 'table', statements: seedStatements(at.nodeName, config) }),
  detail: (config) => count(config.rows.length, 'row'),
});
