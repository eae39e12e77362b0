import { quoteIdent } from '../common';
import { defineNodeKind } from '../define';
import { userSql } from '../sql/config';
import { postgresSourceConfig, type PostgresSourceConfig } from './config';

export * from './config';

/** The PostgreSQL query a source runs: its own, or the whole table. */
export function postgresSourceQuery(c: PostgresSourceConfig): { query: string; what: string } {
  if (c.query) return { query: userSql(c.query), what: 'query' };
  const table = `${quoteIdent(c.schema)}.${quoteIdent(c.table ?? '')}`;
  return { query: `SELECT * FROM ${table}`, what: `table ${table}` };
}

export const postgresSourceKind = defineNodeKind({
  kind: 'postgres_source',
  version: 1,
  label: 'PostgreSQL',
  category: 'source',
  order: 50,
  summary: 'A PostgreSQL table or query, streamed in read-only',
  inputs: { min: 0, max: 0 },
  config: postgresSourceConfig,
  defaults: () => ({ connection: 'mart', table: 'my_table' }),
  fields: {
    connection: { type: 'connection' },
    query: { type: 'foreign_sql', dialect: 'postgres' },
  },
  connectionKinds: ['postgres'],
  compile(config, at) {
    const { query } = postgresSourceQuery(config);
    return {
      relation: 'table',
      statements: [
        `-- PostgreSQL connection "${config.connection}", read-only: COPY (${query}) TO STDOUT (FORMAT csv), streamed to a scratch file\nCREATE OR REPLACE TABLE ${quoteIdent(at.nodeName)} AS SELECT * FROM read_csv(...)`,
      ],
    };
  },
  detail: (config) => config.table ?? config.query?.find((l) => l.trim() !== '')?.trim() ?? null,
});
