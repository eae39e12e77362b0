import type pg from 'pg';
import { pgIdent, pgQualified } from './sql';

export interface Comments {
  table: string | undefined;
  columns: Record<string, string>;
}

/**
 * COMMENT ON the table and its columns, which Superset, DataHub and psql's \d+ show.
 * `when-changed` leaves equal comments alone: COMMENT needs ownership, and an append by
 * a user who may insert but does not own the table should not fail for a no-op.
 */
export async function applyComments(
  client: pg.Client,
  schema: string,
  table: string,
  comments: Comments,
  when: 'always' | 'when-changed',
): Promise<void> {
  const q = pgQualified(schema, table);
  let current: { table: string | null; columns: Map<string, string | null> } | null = null;
  if (when === 'when-changed') {
    const r = await client.query<{ attname: string | null; comment: string | null }>(
      `SELECT NULL::name AS attname, obj_description(c.oid, 'pg_class') AS comment
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2
       UNION ALL
       SELECT a.attname, col_description(a.attrelid, a.attnum)
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
      [schema, table],
    );
    current = { table: null, columns: new Map() };
    for (const row of r.rows) {
      if (row.attname === null) current.table = row.comment;
      else current.columns.set(row.attname, row.comment);
    }
  }
  if (comments.table !== undefined && (!current || current.table !== comments.table)) {
    await client.query(`COMMENT ON TABLE ${q} IS ${client.escapeLiteral(comments.table)}`);
  }
  for (const [col, text] of Object.entries(comments.columns)) {
    if (current && current.columns.get(col) === text) continue;
    await client.query(`COMMENT ON COLUMN ${q}.${pgIdent(col)} IS ${client.escapeLiteral(text)}`);
  }
}
