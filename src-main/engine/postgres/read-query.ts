import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type pg from 'pg';
import { WeirError } from '../../../shared/errors';
import { ident, literal } from '../duckdb/sql';
import { cancelOnAbort } from './cancel';
import { closeClient, openClient, type PgTarget } from './connect';
import { isConnectionLost, pgErrorMessage } from './errors';
import { sourceColumn, type PgField, type SourceColumn } from './pg-to-duckdb';

export interface ReadSpec {
  target: PgTarget;
  /** A PostgreSQL SELECT (or TABLE / VALUES / WITH ...) without a trailing semicolon. */
  query: string;
  /** For messages: `table "public"."x"` or `query`. */
  what: string;
  /** The run and the node reading, for the session's application_name. */
  runId?: string;
  node?: string;
  /** For what the connection did on the way (dead runs' sessions ended): the node's warnings. */
  warn?: (message: string) => void;
  /** Opens the client: the engine context's factory (context/index.ts clients.postgres); openClient when not given. */
  open?: typeof openClient;
}

export interface ReadInto {
  conn: DuckDBConnection;
  /** The DuckDB table to create. */
  table: string;
  /** A file path for the CSV stream (in the run's scratch folder). */
  csvPath: string;
  signal: AbortSignal;
}

/**
 * Reads a PostgreSQL query into a DuckDB table: COPY (query) TO STDOUT as CSV, streamed
 * to a scratch file with backpressure, then read_csv with the column types taken from the
 * query's result description. The query runs in a read-only, repeatable-read transaction,
 * so the description and the rows come from one snapshot and a source cannot write.
 */
export async function readPostgresInto(spec: ReadSpec, into: ReadInto): Promise<{ rows: number; columns: SourceColumn[] }> {
  const where = `reading ${spec.what} on connection "${spec.target.name}"`;
  let client: pg.Client | null = null;
  let connected = false;
  // While COPY TO streams, the connection cannot take a ROLLBACK: a failure there drops it.
  let streaming = false;
  let stopCancel: (() => void) | undefined;
  try {
    client = await (spec.open ?? openClient)(spec.target, { session: { purpose: 'source', runId: spec.runId, detail: spec.node, warn: spec.warn }, signal: into.signal });
    connected = true;
    // Every statement below, not only the COPY, ends on the signal (cancel.ts).
    stopCancel = cancelOnAbort(client, spec.target, into.signal);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Output PostgreSQL writes in forms DuckDB parses exactly.
    await client.query(`SET LOCAL TimeZone = 'UTC'`);
    await client.query(`SET LOCAL DateStyle = 'ISO, YMD'`);
    await client.query(`SET LOCAL extra_float_digits = 3`);
    const columns = await describeQuery(client, spec.query);
    if (!columns.length) throw new WeirError('node', 'the query returns no columns');
    const names = new Set<string>();
    for (const c of columns) {
      if (names.has(c.name)) throw new WeirError('node', `the query returns two columns named "${c.name}": give them distinct names`);
      names.add(c.name);
    }
    const select = `SELECT ${columns.map((c) => c.pgExpr).join(', ')} FROM (${spec.query}\n) AS q`;
    const { to: copyTo } = await import('pg-copy-streams');
    const out = client.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv, NULL '\\N')`));
    streaming = true;
    await pipeline(out, createWriteStream(into.csvPath), { signal: into.signal });
    streaming = false;
    const rows = out.rowCount;
    await client.query('COMMIT');
    await loadCsv(into, columns);
    return { rows, columns };
  } catch (e) {
    if (client && streaming) {
      await closeClient(client, { force: true });
      client = null;
    } else if (client && connected && !isConnectionLost(e)) await client.query('ROLLBACK').catch(() => undefined);
    if (into.signal.aborted || (e as Error | undefined)?.name === 'AbortError') throw new WeirError('cancelled', `${where}: cancelled`);
    // openClient's message already names the connection and the server.
    if (e instanceof WeirError) throw new WeirError(e.kind, e.kind === 'connection' ? `reading ${spec.what}: ${e.message}` : `${where}: ${e.message}`);
    const reason = (e as { code?: unknown }).code !== undefined || isConnectionLost(e) ? pgErrorMessage(e, spec.target) : (e as Error).message;
    throw new WeirError(isConnectionLost(e) ? 'connection' : 'node', `${where} failed: ${reason.replace(/\s+/g, ' ')}`);
  } finally {
    stopCancel?.();
    if (client) await closeClient(client);
  }
}

async function describeQuery(client: pg.Client, query: string): Promise<SourceColumn[]> {
  const r = await client.query({ text: `SELECT * FROM (${query}\n) AS q LIMIT 0`, rowMode: 'array' });
  const oids = [...new Set(r.fields.map((f) => f.dataTypeID))];
  const cats = await client.query<{ oid: number; typcategory: string }>(
    'SELECT oid::int8 AS oid, typcategory FROM pg_type WHERE oid = ANY($1::oid[])',
    [oids],
  );
  const category = new Map(cats.rows.map((c) => [Number(c.oid), c.typcategory]));
  return r.fields.map((f) => {
    const field: PgField = { name: f.name, typeOid: f.dataTypeID, typmod: f.dataTypeModifier, category: category.get(f.dataTypeID) ?? 'U' };
    return sourceColumn(field);
  });
}

async function loadCsv(into: ReadInto, columns: readonly SourceColumn[]): Promise<void> {
  const colTypes = columns.map((c) => `${literal(c.name)}: ${literal(c.csvType)}`).join(', ');
  const read =
    `read_csv(${literal(into.csvPath)}, header = false, delim = ',', quote = '"', escape = '"', ` +
    `nullstr = '\\N', allow_quoted_nulls = false, auto_detect = false, columns = {${colTypes}})`;
  const select = columns.map((c) => `${c.duckExpr} AS ${ident(c.name)}`).join(', ');
  await into.conn.run(`CREATE OR REPLACE TABLE ${ident(into.table)} AS SELECT ${select} FROM ${read}`);
}
