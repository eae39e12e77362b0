import { z } from 'zod';
import { identifier } from '../common';

/** A column of the node's input, as DuckDB names it (PostgreSQL keeps the same name, quoted). */
const columnName = z.string().min(1, 'expected a column name').max(63, 'expected at most 63 characters');

export const postgresSinkConfig = z
  .strictObject({
    /** A `postgres` connection of the run's environment (weir.workspace.json). */
    connection: identifier,
    schema: identifier.default('public'),
    table: identifier,
    /**
     * replace: load a staging table, then swap it in within one transaction;
     * append: add the rows in one transaction; upsert: insert or update by `key`;
     * replace_partition (partitioned pipelines, docs/lots.md): delete the lot's rows (where the
     * partition key's column holds the lot's value) and insert its new ones in one transaction.
     */
    mode: z.enum(['replace', 'append', 'upsert', 'replace_partition']).default('replace'),
    /** Key columns: required for upsert; with replace they become the primary key. */
    key: z.array(columnName).default([]),
    /** Written as the table's comment (falls back to the node's description). */
    description: z.string().optional(),
    /** Column comments by column name, shown by dashboards and catalogs. */
    column_comments: z.record(columnName, z.string()).default({}),
    /**
     * How long the swap (replace) or the load may wait for a lock that dashboards hold,
     * per attempt; the swap is tried three times before the node fails.
     */
    lock_timeout_seconds: z.number().positive().max(3600).default(10),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.mode === 'upsert' && cfg.key.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: 'expected at least one key column for mode "upsert"' });
    }
    const seen = new Set<string>();
    cfg.key.forEach((k, i) => {
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: ['key', i], message: `key column "${k}" is listed twice` });
      seen.add(k);
    });
  });
export type PostgresSinkConfig = z.infer<typeof postgresSinkConfig>;
