import type { PostgresSinkConfig } from '../../../../shared/nodes/postgres-sink';
import { ident } from '../../duckdb/sql';
import { pgTarget, targetUri } from '../../postgres/connect';
import { preparePostgres } from '../../postgres/publish';
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
  /** Loads the rows in an open transaction; the run's publish phase swaps them in and commits, or rolls back. */
  async run(ctx) {
    const c = ctx.config;
    const target = pgTarget(c.connection, ctx.connection(c.connection));
    const input = firstInputName(ctx);
    const prepared = await preparePostgres(
      {
        target,
        schema: c.schema,
        table: c.table,
        mode: c.mode,
        key: c.key,
        comments: { table: c.description ?? ctx.node.description, columns: c.column_comments },
        lockTimeoutMs: c.lock_timeout_seconds * 1000,
        runId: ctx.runId,
        warn: ctx.warn,
      },
      { conn: ctx.conn, relation: input, signal: ctx.signal, onRows: ctx.reportRows },
    );
    let stats;
    try {
      stats = await relationStats(ctx.conn, input);
    } catch (e) {
      await prepared.rollback();
      throw e;
    }
    const uri = targetUri(target, c.schema, c.table);
    return {
      rows: prepared.rows,
      outputHash: stats.hash,
      outputs: [{ uri, rows: prepared.rows }],
      publication: {
        target: uri,
        evidence: { kind: 'other', how: `PostgreSQL commits are not readable afterwards: compare ${pgQualified(c.schema, c.table)} with this run's ${prepared.rows} rows` },
        commit: async () => {
          const result = await prepared.commit();
          if (result.strategy === 'in-place') {
            ctx.warn(`views or foreign keys depend on ${pgQualified(c.schema, c.table)}: its rows were replaced in place (readers waited for the commit) instead of swapping tables`);
          }
          return { outputs: [{ uri, rows: result.rows }] };
        },
        discard: () => prepared.rollback(),
      },
    };
  },
};
