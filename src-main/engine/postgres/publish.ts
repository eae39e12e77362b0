import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type pg from 'pg';
import { WeirError } from '../../../shared/errors';
import { describeDuckdbError, isInterrupt } from '../duckdb/sql-error';
import { cancelOnAbort } from './cancel';
import { closeClient, openClient, type PgTarget } from './connect';
import { copyDuckdbToPostgres } from './copy-in';
import { copyLineSelect } from './duckdb-to-pg';
import { isConnectionLost, pgErrorMessage } from './errors';
import { keepBusy, type KeepBusy } from './keep-busy';
import { sinkColumns, type SinkColumn } from './relation-columns';
import { pgIdent, pgQualified } from './sql';
import { applyComments, type Comments } from './comments';
import { sessionSettings, withoutStatementTimeout } from './session';
import { swapIn } from './swap';

export type PublishMode = 'replace' | 'append' | 'upsert' | 'replace_partition';

export interface PublishSpec {
  target: PgTarget;
  schema: string;
  table: string;
  mode: PublishMode;
  key: readonly string[];
  comments: Comments;
  lockTimeoutMs: number;
  runId: string;
  /** replace_partition: the lot whose rows are replaced (the partition key's column and the lot's value). */
  partition?: { column: string; value: string };
  /** For what the connection did on the way (dead runs' sessions ended): the node's warnings. */
  warn?: (message: string) => void;
  /** Opens the client: the engine context's factory (context/index.ts clients.postgres); openClient when not given. */
  open?: typeof openClient;
}

export interface PublishInput {
  conn: DuckDBConnection;
  /** The DuckDB relation (the sink's input node) to publish. */
  relation: string;
  signal: AbortSignal;
  onRows?: (rows: number) => void;
}

export interface PublishResult {
  rows: number;
  /** How a replace went in: a rename swap, or in place where views depend on the table. */
  strategy: 'swap' | 'in-place' | 'append' | 'upsert' | 'replace_partition';
  /** replace_partition: the lot's rows the new ones replaced. */
  deleted?: number;
  inserted?: number;
  updated?: number;
}

type Phase = 'connect' | 'load' | 'commit';

/**
 * Publishes a DuckDB relation to a PostgreSQL table in one transaction: readers see the
 * table as it was or as it is after the commit, never in between. Any failure or an abort
 * rolls back and names the table, the mode and the reason.
 */
export async function publishToPostgres(spec: PublishSpec, input: PublishInput): Promise<PublishResult> {
  return (await preparePostgres(spec, input)).commit();
}

/** A load done in an open transaction, waiting for the run's publish phase. */
export interface PreparedPostgres {
  rows: number;
  /** The swap (replace), the insert (upsert), then COMMIT. */
  commit(): Promise<PublishResult>;
  /** ROLLBACK: the table stays as it was. */
  rollback(): Promise<void>;
}

/**
 * Everything up to the commit point, in one open transaction: the rows copied into a staging
 * table (replace), a temporary table (upsert) or the table itself (append; invisible to
 * readers until COMMIT). The old table is not locked yet: `commit` takes its lock, swaps or
 * inserts, and commits, so that dashboards keep reading while the rest of the run goes on.
 */
export async function preparePostgres(spec: PublishSpec, input: PublishInput): Promise<PreparedPostgres> {
  const where = `publishing ${pgQualified(spec.schema, spec.table)} (${spec.mode}) on connection "${spec.target.name}"`;
  let client: pg.Client | null = null;
  let phase: Phase = 'connect';
  // Pings while the transaction waits for the publish phase (keep-busy.ts).
  let busy: KeepBusy | null = null;
  // The run's cancel reaches the load's statements (cancel.ts); never the commit's.
  let stopCancel: (() => void) | undefined;
  const fail = async (e: unknown, aborted: boolean): Promise<never> => {
    stopCancel?.();
    await busy?.stop();
    const lost = isConnectionLost(e);
    if (client && !(await rollback(client, lost))) client = null;
    if (client) await closeClient(client);
    client = null;
    throw publishError(e, { where, phase, lost, aborted, spec });
  };
  let finish: (c: pg.Client) => Promise<PublishResult>;
  let rows: number;
  try {
    const columns = await sinkColumns(input.conn, input.relation);
    checkNamedColumns(spec, columns);
    client = await (spec.open ?? openClient)(spec.target, { session: { purpose: 'publish', runId: spec.runId, detail: spec.table, warn: spec.warn }, signal: input.signal });
    stopCancel = cancelOnAbort(client, spec.target, input.signal);
    phase = 'load';
    await client.query('BEGIN');
    busy = keepBusy(client, sessionSettings(client)?.idleInTransactionMs ?? 0);
    await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(spec.lockTimeoutMs))}`);
    await ensureSchema(client, spec.schema);
    let existing = await existingTable(client, spec.schema, spec.table);
    const load = (into: string, cols: readonly SinkColumn[] = columns) =>
      withoutStatementTimeout(client!, () =>
        copyDuckdbToPostgres({
          conn: input.conn,
          linesSql: copyLineSelect(input.relation, cols),
          client: client!,
          copySql: `COPY ${into} (${cols.map((c) => pgIdent(c.name)).join(', ')}) FROM STDIN`,
          signal: input.signal,
          onRows: input.onRows,
        }),
      );

    if (spec.mode === 'replace') {
      const staging = stagingName(spec.table, spec.runId);
      const stagingQ = pgQualified(spec.schema, staging);
      await client.query(createTableSql(stagingQ, columns));
      rows = await load(stagingQ);
      if (spec.key.length) {
        await client.query(`ALTER TABLE ${stagingQ} ADD CONSTRAINT ${pgIdent(`${staging}_pkey`)} PRIMARY KEY (${spec.key.map(pgIdent).join(', ')})`);
      }
      await applyComments(client, spec.schema, staging, spec.comments, 'always');
      const loaded = rows;
      finish = async (c) => {
        const strategy = await swapIn(c, {
          schema: spec.schema,
          table: spec.table,
          staging,
          columns: columns.map((x) => x.name),
          key: spec.key,
          comments: spec.comments,
          lockTimeoutMs: spec.lockTimeoutMs,
          signal: new AbortController().signal,
        });
        return { rows: loaded, strategy };
      };
    } else {
      const targetQ = pgQualified(spec.schema, spec.table);
      if (!existing && spec.mode === 'replace_partition') {
        // Lots run concurrently on other workers: the first of them creates the table; the
        // others wait here for its commit, then find it (two CREATEs would collide in pg_type).
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`weir create ${spec.schema}.${spec.table}`]);
        existing = await existingTable(client, spec.schema, spec.table);
      }
      if (!existing) {
        const pk = spec.key.length ? `, PRIMARY KEY (${spec.key.map(pgIdent).join(', ')})` : '';
        await client.query(createTableSql(targetQ, columns, pk));
      }
      await applyComments(client, spec.schema, spec.table, spec.comments, existing ? 'when-changed' : 'always');
      if (spec.mode === 'replace_partition') {
        const part = spec.partition;
        if (!part) throw new WeirError('usage', 'mode replace_partition publishes one lot: run the pipeline with partitions (docs/lots.md)');
        // The old rows go first, inside the same transaction: readers keep seeing them until COMMIT,
        // and other lots' rows are not touched (only this lot's rows are locked).
        const del = await client.query(`DELETE FROM ${targetQ} WHERE ${pgIdent(part.column)}::text = $1`, [part.value]);
        const deleted = del.rowCount ?? 0;
        const added = await load(targetQ);
        rows = added;
        finish = async () => ({ rows: added, strategy: 'replace_partition', deleted });
      } else if (spec.mode === 'append') {
        const appended = await load(targetQ);
        rows = appended;
        finish = async () => ({ rows: appended, strategy: 'append' });
      } else {
        const staged = await stageUpsert(client, spec, columns, load);
        rows = staged.rows;
        finish = (c) => staged.apply(c);
      }
    }
    if (input.signal.aborted) throw new WeirError('cancelled', 'cancelled');
  } catch (e) {
    return fail(e, input.signal.aborted);
  }
  stopCancel();
  return {
    rows,
    commit: async () => {
      if (!client) throw new WeirError('internal', `${where}: already settled`);
      try {
        await busy?.stop();
        // The session ended while it waited (a DBA, a server restart): nothing was committed.
        if (busy?.failure !== undefined) throw busy.failure;
        phase = 'commit';
        const result = await finish(client);
        await client.query('COMMIT');
        await closeClient(client);
        client = null;
        return result;
      } catch (e) {
        return fail(e, false);
      }
    },
    rollback: async () => {
      await busy?.stop();
      if (!client) return;
      const c = client;
      client = null;
      if (await rollback(c, false)) await closeClient(c);
    },
  };
}

/**
 * ROLLBACK, or, when the connection is gone or does not answer within a few seconds, drop
 * it: the server rolls back a transaction whose session ends. False when the client was dropped.
 */
async function rollback(client: pg.Client, lost: boolean): Promise<boolean> {
  if (!lost) {
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      client.query('ROLLBACK').then(
        () => true,
        () => false,
      ),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), 5000);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    if (done) return true;
  }
  await closeClient(client, { force: true });
  return false;
}

function publishError(e: unknown, c: { where: string; phase: Phase; lost: boolean; aborted: boolean; spec: PublishSpec }): WeirError {
  if (c.aborted || isInterrupt(e) || (e as Error | undefined)?.name === 'AbortError') {
    return new WeirError('cancelled', `${c.where}: cancelled, rolled back (the table is as it was)`);
  }
  if (e instanceof WeirError && (c.phase === 'connect' || e.kind === 'connection')) {
    if (c.phase !== 'connect') return e;
    // openClient's message already names the connection and the server.
    const what = e.kind === 'connection' ? c.where.replace(/ on connection "[^"]*"$/, '') : c.where;
    return new WeirError(e.kind, `${what}: ${e.message}`);
  }
  const reason =
    e instanceof WeirError
      ? e.message
      : isPgError(e) || c.lost
        ? friendlyReason(e, c.spec)
        : describeDuckdbError(e).message;
  const outcome =
    c.phase === 'commit'
      ? c.lost
        ? 'the connection was lost during COMMIT, so whether the change was applied is unknown: check the table'
        : 'rolled back (the table is as it was)'
      : 'rolled back (the table is as it was)';
  return new WeirError(c.lost ? 'connection' : 'node', `${c.where} failed: ${reason}; ${outcome}`);
}

function isPgError(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string';
}

/** The server's message, with a word on the cases a user meets most. */
function friendlyReason(e: unknown, spec: PublishSpec): string {
  const code = (e as { code?: string }).code;
  const base = pgErrorMessage(e, spec.target);
  if (code === '42P10') return `${base} (upsert needs a primary key or unique constraint on exactly (${spec.key.join(', ')}))`;
  if (code === '21000') return `${base} (the input has two or more rows with the same key (${spec.key.join(', ')}))`;
  if (code === '55P03') return `${base} (another session held a lock on the table for longer than lock_timeout_seconds)`;
  return base;
}

function checkNamedColumns(spec: PublishSpec, columns: readonly SinkColumn[]): void {
  const names = new Set(columns.map((c) => c.name));
  const named = [...spec.key, ...Object.keys(spec.comments.columns), ...(spec.mode === 'replace_partition' && spec.partition ? [spec.partition.column] : [])];
  const missing = named.filter((k) => !names.has(k));
  if (missing.length) {
    throw new WeirError('node', `column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} named in the sink's config ${missing.length > 1 ? 'are' : 'is'} not in its input (columns: ${[...names].join(', ')})`);
  }
}

function createTableSql(qualified: string, columns: readonly SinkColumn[], extra = ''): string {
  return `CREATE TABLE ${qualified} (${columns.map((c) => `${pgIdent(c.name)} ${c.pgType}`).join(', ')}${extra})`;
}

/** Unique per run and within PostgreSQL's 63-byte names (table names are ASCII identifiers). */
export function stagingName(table: string, runId: string): string {
  const tag = createHash('sha256').update(`${runId}\0${table}`).digest('hex').slice(0, 8);
  return `${table.slice(0, 40)}__weir_stage_${tag}`;
}

async function ensureSchema(client: pg.Client, schema: string): Promise<void> {
  const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  // Checked first so that a user without CREATE on the database can publish into an existing schema.
  if (!found.rowCount) await client.query(`CREATE SCHEMA IF NOT EXISTS ${pgIdent(schema)}`);
}

async function existingTable(client: pg.Client, schema: string, table: string): Promise<boolean> {
  const r = await client.query<{ relkind: string }>(
    `SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
    [schema, table],
  );
  const kind = r.rows[0]?.relkind;
  if (kind === undefined) return false;
  if (kind !== 'r' && kind !== 'p') {
    const what = { v: 'a view', m: 'a materialized view', f: 'a foreign table', S: 'a sequence', i: 'an index' }[kind] ?? `a relation of kind "${kind}"`;
    throw new WeirError('node', `${pgQualified(schema, table)} is ${what}, not a table`);
  }
  return true;
}

/** Loads the rows into a temporary table; `apply` inserts them into the target, at the commit. */
async function stageUpsert(
  client: pg.Client,
  spec: PublishSpec,
  columns: readonly SinkColumn[],
  load: (into: string) => Promise<number>,
): Promise<{ rows: number; apply: (c: pg.Client) => Promise<PublishResult> }> {
  // A temporary table: no WAL, dropped at commit; the target is only touched by one INSERT.
  const temp = pgIdent(`weir_upsert_${stagingName(spec.table, spec.runId).slice(-8)}`);
  await client.query(`CREATE TEMPORARY TABLE ${temp} (${columns.map((c) => `${pgIdent(c.name)} ${c.pgType}`).join(', ')}) ON COMMIT DROP`);
  const rows = await load(temp);
  const cols = columns.map((c) => pgIdent(c.name)).join(', ');
  const keys = new Set(spec.key);
  const rest = columns.filter((c) => !keys.has(c.name));
  const action = rest.length ? `DO UPDATE SET ${rest.map((c) => `${pgIdent(c.name)} = EXCLUDED.${pgIdent(c.name)}`).join(', ')}` : 'DO NOTHING';
  // xmax = 0 marks a freshly inserted row version; counted server-side, so no rows travel back.
  const sql = `WITH up AS (INSERT INTO ${pgQualified(spec.schema, spec.table)} (${cols}) SELECT ${cols} FROM ${temp} ON CONFLICT (${spec.key.map(pgIdent).join(', ')}) ${action} RETURNING (xmax = 0) AS inserted)
SELECT count(*) FILTER (WHERE inserted)::bigint AS inserted, count(*) FILTER (WHERE NOT inserted)::bigint AS updated FROM up`;
  return {
    rows,
    apply: async (c) => {
      const r = await c.query<{ inserted: string; updated: string }>(sql);
      return { rows, strategy: 'upsert', inserted: Number(r.rows[0]?.inserted ?? 0), updated: Number(r.rows[0]?.updated ?? 0) };
    },
  };
}
