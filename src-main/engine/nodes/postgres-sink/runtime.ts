import type { PostgresSinkConfig } from '../../../../shared/nodes/postgres-sink';
import { ident } from '../../duckdb/sql';
import { pgTarget, targetUri } from '../../postgres/connect';
import { publishToPostgres } from '../../postgres/publish';
import { pgQualified } from '../../postgres/sql';
import { relationStats } from '../../run/relation-stats';
import { firstInputName } from '../first-input';
import type { NodeRuntime } from '../types';

const HOW: Record<PostgresSinkConfig['mode'], string> = {
  replace: 'COPY into a staging table, then swap it in within the same transaction',
  append: 'COPY into the table in one transaction',
  upsert: 'COPY into a temporary table, then INSERT ... ON CONFLICT (key) DO UPDATE in the same transaction',
};

export const postgresSinkRuntime: NodeRuntime<PostgresSinkConfig> = {
  kind: 'postgres_sink',
  compile(ctx) {
    const c = ctx.config;
    return {
      relation: 'none',
      statements: [
        `-- PostgreSQL connection "${c.connection}": ${pgQualified(c.schema, c.table)} (${c.mode}): ${HOW[c.mode]}\nSELECT * FROM ${ident(firstInputName(ctx))}`,
      ],
    };
  },
  async run(ctx) {
    const c = ctx.config;
    const target = pgTarget(c.connection, ctx.connection(c.connection));
    const input = firstInputName(ctx);
    const result = await publishToPostgres(
      {
        target,
        schema: c.schema,
        table: c.table,
        mode: c.mode,
        key: c.key,
        comments: { table: c.description ?? ctx.node.description, columns: c.column_comments },
        lockTimeoutMs: c.lock_timeout_seconds * 1000,
        runId: ctx.runId,
      },
      { conn: ctx.conn, relation: input, signal: ctx.signal, onRows: ctx.reportRows },
    );
    if (result.strategy === 'in-place') {
      ctx.warn(`views or foreign keys depend on ${pgQualified(c.schema, c.table)}: its rows were replaced in place (readers waited for the commit) instead of swapping tables`);
    }
    const stats = await relationStats(ctx.conn, input);
    return {
      rows: result.rows,
      outputHash: stats.hash,
      outputs: [{ uri: targetUri(target, c.schema, c.table), rows: result.rows }],
    };
  },
};
