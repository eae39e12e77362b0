import { join } from 'node:path';
import type { PostgresSourceConfig } from '../../../../shared/nodes/postgres-source';
import { ident } from '../../duckdb/sql';
import { databaseUri, pgTarget, targetUri } from '../../postgres/connect';
import { readPostgresInto } from '../../postgres/read-query';
import { pgQualified } from '../../postgres/sql';
import { fileSha256 } from '../../storage/file-hash';
import { userSql } from '../sql/runtime';
import type { NodeRuntime } from '../types';

/** The PostgreSQL query a source runs: its own, or the whole table. */
function sourceQuery(c: PostgresSourceConfig): { query: string; what: string } {
  if (c.query) return { query: userSql(c.query), what: 'query' };
  const table = pgQualified(c.schema, c.table ?? '');
  return { query: `SELECT * FROM ${table}`, what: `table ${table}` };
}

export const postgresSourceRuntime: NodeRuntime<PostgresSourceConfig> = {
  kind: 'postgres_source',
  // The database changes without the pipeline knowing: always read it again.
  cacheable: false,
  compile({ node, config }) {
    const { query } = sourceQuery(config);
    return {
      relation: 'table',
      statements: [
        `-- PostgreSQL connection "${config.connection}", read-only: COPY (${query}) TO STDOUT (FORMAT csv), streamed to a scratch file\nCREATE OR REPLACE TABLE ${ident(node.name)} AS SELECT * FROM read_csv(...)`,
      ],
    };
  },
  async run(ctx) {
    const c = ctx.config;
    const target = pgTarget(c.connection, ctx.connection(c.connection));
    const { query, what } = sourceQuery(c);
    const csvPath = join(ctx.scratchDir, `${ctx.node.id}.pg.csv`);
    const { rows } = await readPostgresInto(
      { target, query, what, runId: ctx.runId, node: ctx.node.name, warn: (m) => ctx.warn(m) },
      { conn: ctx.conn, table: ctx.node.name, csvPath, signal: ctx.signal },
    );
    ctx.reportRows(rows);
    const { sha256, size } = await fileSha256(csvPath);
    const uri = c.table ? targetUri(target, c.schema, c.table) : `${databaseUri(target)}?query`;
    return { rows, inputs: [{ uri, size, sha256 }] };
  },
};
