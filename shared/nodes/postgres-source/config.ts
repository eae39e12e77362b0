import { z } from 'zod';
import { identifier, sqlLines } from '../common';

export const postgresSourceConfig = z
  .strictObject({
    /** A `postgres` connection of the run's environment (weir.workspace.json). */
    connection: identifier,
    /** Read a whole table... */
    schema: identifier.default('public'),
    table: identifier.optional(),
    /** ...or the rows of a PostgreSQL query (run read-only, in PostgreSQL's SQL dialect). */
    query: sqlLines.min(1, 'expected SQL').optional(),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.table === undefined && cfg.query === undefined) {
      ctx.addIssue({ code: 'custom', path: ['table'], message: 'expected a table or a query' });
    }
    if (cfg.table !== undefined && cfg.query !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['query'], message: 'expected a table or a query, not both' });
    }
  });
export type PostgresSourceConfig = z.infer<typeof postgresSourceConfig>;
