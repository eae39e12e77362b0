import { join } from 'node:path';
import { postgresSourceKind, postgresSourceQuery } from '../../../../shared/nodes/postgres-source';
import { processLookup } from '../../context';
import { databaseUri, pgTarget, targetUri } from '../../postgres/connect';
import { readPostgresInto } from '../../postgres/read-query';
import { fileSha256 } from '../../storage/file-hash';
import { defineNodeRuntime } from '../define';

/** Streams a PostgreSQL table or query in, read-only (shared/nodes/postgres-source/ shows what it runs). */
export const postgresSourceRuntime = defineNodeRuntime(postgresSourceKind, {
  // The database changes without the pipeline knowing: always read it again.
  cacheable: false,
  async run(ctx) {
    const c = ctx.config;
    const target = pgTarget(c.connection, ctx.connection(c.connection), processLookup(ctx.engine));
    const { query, what } = postgresSourceQuery(c);
    const csvPath = join(ctx.scratchDir, `${ctx.node.id}.pg.csv`);
    const { rows } = await readPostgresInto(
      { target, query, what, runId: ctx.runId, node: ctx.node.name, warn: (m) => ctx.warn(m), open: ctx.engine.clients.postgres },
      { conn: ctx.conn, table: ctx.node.name, csvPath, signal: ctx.signal },
    );
    ctx.reportRows(rows);
    const { sha256, size } = await fileSha256(csvPath);
    const uri = c.table ? targetUri(target, c.schema, c.table) : `${databaseUri(target)}?query`;
    return { rows, inputs: [{ uri, size, sha256 }] };
  },
});
