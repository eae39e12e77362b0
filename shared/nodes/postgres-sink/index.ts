import { quoteIdent } from '../common';
import { defineNodeKind } from '../define';
import { firstInput } from '../relation-sql';
import { postgresSinkConfig, type PostgresSinkConfig } from './config';

export * from './config';

const HOW: Record<PostgresSinkConfig['mode'], string> = {
  replace: 'COPY into a staging table, then swap it in within the same transaction',
  append: 'COPY into the table in one transaction',
  upsert: 'COPY into a temporary table, then INSERT ... ON CONFLICT (key) DO UPDATE in the same transaction',
  replace_partition: "DELETE the lot's rows, then COPY its new rows into the table, in one transaction",
};

export const postgresSinkKind = defineNodeKind({
  kind: 'postgres_sink',
  version: 1,
  label: 'PostgreSQL mart',
  category: 'sink',
  order: 20,
  summary: 'Publishes its input to a PostgreSQL table: replace (atomic swap), append, upsert by key or replace one lot',
  inputs: { min: 1, max: 1 },
  config: postgresSinkConfig,
  defaults: () => ({ connection: 'mart', schema: 'public', table: 'my_mart', mode: 'replace' }),
  fields: {
    connection: { type: 'connection' },
    key: { type: 'column', input: 0 },
  },
  connectionKinds: ['postgres'],
  compile: (c, at) => ({
    relation: 'none',
    statements: [
      `-- PostgreSQL connection "${c.connection}": ${quoteIdent(c.schema)}.${quoteIdent(c.table)} (${c.mode}): ${HOW[c.mode]}\nSELECT * FROM ${quoteIdent(firstInput(at))}`,
    ],
  }),
  detail: (config) => config.table,
});
