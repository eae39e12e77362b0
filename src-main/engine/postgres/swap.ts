import type pg from 'pg';
import { WeirError } from '../../../shared/errors';
import { applyComments, type Comments } from './comments';
import { withRetry } from '../storage/retry';
import { pgIdent, pgLiteral, pgQualified } from './sql';

export interface SwapSpec {
  schema: string;
  table: string;
  /** A loaded table in the same schema, created in the current transaction. */
  staging: string;
  columns: readonly string[];
  key: readonly string[];
  comments: Comments;
  lockTimeoutMs: number;
  signal: AbortSignal;
}

const LOCK_ATTEMPTS = 3;

/**
 * The last step of a replace, inside the publishing transaction: take the old table's
 * ACCESS EXCLUSIVE lock (waiting at most lock_timeout per attempt, so a long dashboard
 * query cannot make every later reader queue behind us for long), carry its grants and
 * owner over, drop it and rename the staging table into its place. Until COMMIT, readers
 * keep reading the old table; a reader that queued behind the lock resolves the name
 * again once it gets in, and reads the new table.
 *
 * Where views or foreign keys depend on the old table, dropping it would break them: the
 * rows are then replaced in place (TRUNCATE + INSERT from staging), still in the same
 * transaction, so readers wait for the commit instead of seeing a partial table.
 */
export async function swapIn(client: pg.Client, s: SwapSpec): Promise<'swap' | 'in-place'> {
  const target = pgQualified(s.schema, s.table);
  const staging = pgQualified(s.schema, s.staging);
  const oldOid = await lockOldTable(client, s);

  if (oldOid !== null) {
    await client.query('SAVEPOINT weir_drop');
    const grants = await grantStatements(client, oldOid, staging);
    try {
      for (const g of grants) await client.query(g);
      await client.query(`DROP TABLE ${target}`);
    } catch (e) {
      // 2BP01: views, foreign keys or other objects depend on the table.
      if ((e as { code?: string }).code !== '2BP01') throw e;
      await client.query('ROLLBACK TO SAVEPOINT weir_drop');
      await checkSameColumns(client, oldOid, s);
      const cols = s.columns.map(pgIdent).join(', ');
      await client.query(`TRUNCATE ${target}`);
      await client.query(`INSERT INTO ${target} (${cols}) SELECT ${cols} FROM ${staging}`);
      await client.query(`DROP TABLE ${staging}`);
      await applyComments(client, s.schema, s.table, s.comments, 'when-changed');
      return 'in-place';
    }
  }
  await client.query(`ALTER TABLE ${staging} RENAME TO ${pgIdent(s.table)}`);
  if (s.key.length) {
    await client.query(`ALTER TABLE ${target} RENAME CONSTRAINT ${pgIdent(`${s.staging}_pkey`)} TO ${pgIdent(`${s.table.slice(0, 58)}_pkey`)}`);
  }
  return 'swap';
}

/** PostgreSQL's lock_not_available: LOCK TABLE waited lock_timeout and gave up. */
function isLockTimeout(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === '55P03';
}

/** The old table's oid once locked, or null when there is no table yet. */
async function lockOldTable(client: pg.Client, s: SwapSpec): Promise<number | null> {
  let tries = 0;
  try {
    // A cancelled run stops in the backoff (sleep rejects) instead of queueing for the lock again.
    return await withRetry(
      async (attempt) => {
        tries = attempt;
        await client.query('SAVEPOINT weir_lock');
        try {
          const found = await client.query<{ oid: number }>(
            `SELECT c.oid::int8 AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
            [s.schema, s.table],
          );
          if (!found.rowCount) return null;
          await client.query(`LOCK TABLE ${pgQualified(s.schema, s.table)} IN ACCESS EXCLUSIVE MODE`);
          // Another publisher may have swapped while we waited: the name now points at its table.
          const locked = await client.query<{ oid: string }>(`SELECT ${pgLiteral(pgQualified(s.schema, s.table))}::regclass::oid::int8 AS oid`);
          return Number(locked.rows[0]!.oid);
        } catch (e) {
          // The failed LOCK aborted the transaction; back to before it, for the next try.
          if (isLockTimeout(e)) await client.query('ROLLBACK TO SAVEPOINT weir_lock');
          throw e;
        }
      },
      { attempts: LOCK_ATTEMPTS, baseDelayMs: 1000, maxDelayMs: 2000, signal: s.signal, retryable: isLockTimeout },
    );
  } catch (e) {
    if (!isLockTimeout(e)) throw e;
    throw new WeirError(
      'node',
      `could not lock ${pgQualified(s.schema, s.table)} to swap in the new rows: other sessions held it for longer than ${s.lockTimeoutMs / 1000}s, ${tries} times (raise lock_timeout_seconds, or find the blocking sessions in pg_stat_activity)`,
    );
  }
}

/** In place only works when the old table has every column the input brings. */
async function checkSameColumns(client: pg.Client, oid: number, s: SwapSpec): Promise<void> {
  const r = await client.query<{ attname: string }>('SELECT attname FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped', [oid]);
  const have = new Set(r.rows.map((x) => x.attname));
  const missing = s.columns.filter((c) => !have.has(c));
  if (!missing.length) return;
  const deps = await client.query<{ name: string }>(
    `SELECT DISTINCT d.classid::regclass::text AS kind, COALESCE(v.ev_class::regclass::text, c.conname::text) AS name
       FROM pg_depend d
       LEFT JOIN pg_rewrite v ON d.classid = 'pg_rewrite'::regclass AND v.oid = d.objid
       LEFT JOIN pg_constraint c ON d.classid = 'pg_constraint'::regclass AND c.oid = d.objid AND c.conrelid <> $1
      WHERE d.refobjid = $1 AND COALESCE(v.ev_class, 0) <> $1 AND (v.oid IS NOT NULL OR c.oid IS NOT NULL)`,
    [oid],
  );
  throw new WeirError(
    'node',
    `${pgQualified(s.schema, s.table)} cannot be swapped because ${deps.rows.map((d) => d.name).join(', ') || 'other objects'} depend${deps.rows.length === 1 ? 's' : ''} on it, and it cannot be replaced in place because it has no column ${missing.map((m) => `"${m}"`).join(', ')}: change or drop the dependent objects first`,
  );
}

/**
 * GRANTs that give the staging table what the old table granted (dashboards' roles keep
 * their SELECT), and the old owner when the publishing user may hand it over.
 */
async function grantStatements(client: pg.Client, oldOid: number, staging: string): Promise<string[]> {
  const owner = await client.query<{ owner: string; can_transfer: boolean }>(
    `SELECT pg_get_userbyid(c.relowner) AS owner,
            (c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user) AND pg_has_role(current_user, c.relowner, 'MEMBER')) AS can_transfer
       FROM pg_class c WHERE c.oid = $1`,
    [oldOid],
  );
  const acl = await client.query<{ grantee: string | null; privilege_type: string; is_grantable: boolean }>(
    `SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END AS grantee, a.privilege_type, a.is_grantable
       FROM pg_class c, aclexplode(c.relacl) a
      WHERE c.oid = $1 AND a.grantee <> c.relowner`,
    [oldOid],
  );
  const out = acl.rows.map(
    (g) => `GRANT ${g.privilege_type} ON ${staging} TO ${g.grantee === null ? 'PUBLIC' : pgIdent(g.grantee)}${g.is_grantable ? ' WITH GRANT OPTION' : ''}`,
  );
  const o = owner.rows[0];
  if (o?.can_transfer) out.push(`ALTER TABLE ${staging} OWNER TO ${pgIdent(o.owner)}`);
  return out;
}
