import { postgresSinkKind } from '../../../../shared/nodes/postgres-sink';
import { processLookup } from '../../context';
import { pgTarget, targetUri } from '../../postgres/connect';
import { preparePostgres } from '../../postgres/publish';
import { pgQualified } from '../../postgres/sql';
import { relationStats } from '../../duckdb/relation-stats';
import { firstInputName } from '../first-input';
import { defineNodeRuntime } from '../define';
import { assertOneLot } from './one-lot';

/** Publishes to a PostgreSQL table; what it runs is shown by its definition's compile (shared/nodes/postgres-sink/). */
export const postgresSinkRuntime = defineNodeRuntime(postgresSinkKind, {
  /** Loads the rows in an open transaction; the run's publish phase swaps them in and commits, or rolls back. */
  async run(ctx) {
    const c = ctx.config;
    const target = pgTarget(c.connection, ctx.connection(c.connection), processLookup(ctx.engine));
    const input = firstInputName(ctx);
    const partition = c.mode === 'replace_partition' && ctx.lot ? { column: ctx.lot.key, value: ctx.lot.value } : undefined;
    if (partition) await assertOneLot(ctx.conn, input, partition, ctx.node.name);
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
        ...(partition ? { partition } : {}),
        warn: ctx.warn,
        open: ctx.engine.clients.postgres,
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
});
