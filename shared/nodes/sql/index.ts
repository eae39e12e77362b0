import { defineNodeKind } from '../define';
import { autoRelation, selectAs } from '../relation-sql';
import { sqlConfig, userSql } from './config';

export * from './config';

export const sqlKind = defineNodeKind({
  kind: 'sql',
  version: 1,
  label: 'SQL',
  category: 'transform',
  order: 10,
  summary: 'A DuckDB SELECT over its inputs, referred to by name',
  inputs: { min: 0, max: 64 },
  config: sqlConfig,
  defaults: () => ({ sql: ['select *', 'from input'] }),
  fields: { sql: { type: 'sql', form: 'query' } },
  // The user's first line stays on line 1 so DuckDB's "LINE n" is the line in the editor.
  compile: (config, at) => selectAs(at.nodeName, config.materialize === 'auto' ? autoRelation(at) : config.materialize, userSql(config.sql)),
  queries: (config) => [userSql(config.sql)],
});
