import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type pg from 'pg';
import { WeirError } from '../../../shared/errors';
import type { ConnectionSpec, ConnectionSpecOf } from '../../../shared/connections/kinds';
import { postgresConnection } from '../../../shared/connections/postgres';
import { describeEnded, terminateDeadRunSessions } from './dead-sessions';
import { pgErrorMessage } from './errors';
import { SESSION_DEFAULTS, applicationName, applySessionSettings, wantedSettings, type SessionUse } from './session';

export type SslMode = NonNullable<ConnectionSpecOf<'postgres'>['sslmode']>;
/** The modes the postgres kind's schema accepts (PGSSLMODE is checked against the same list). */
const SSL_MODES: readonly SslMode[] = postgresConnection.shape.sslmode.unwrap().options;

/** Where a connection points, secrets resolved; `password` never leaves this module's callers' clients. */
export interface PgTarget {
  /** The workspace's name for the connection, for messages. */
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | undefined;
  sslmode: SslMode;
  sslRootCert: string | undefined;
}

export type EnvLookup = (name: string) => string | undefined;

/**
 * Fills what the workspace leaves out from the standard libpq variables (PGHOST, PGPORT,
 * PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT) as `env` gives them (the process
 * environment: context/index.ts processLookup), then libpq's own defaults, so a headless run
 * configured the usual way just works. `${env:...}` is already resolved.
 * Takes any kind (nodes hand it the connection they name) and refuses all but postgres.
 */
export function pgTarget(name: string, spec: ConnectionSpec, env: EnvLookup): PgTarget {
  if (spec.kind !== 'postgres') {
    throw new WeirError('invalid', `connection "${name}" is of kind "${spec.kind}", expected "postgres"`);
  }
  const pick = (v: string | number | undefined, envName: string) => {
    const s = v === undefined ? undefined : String(v);
    return s !== undefined && s !== '' ? s : env(envName) || undefined;
  };
  const portText = pick(spec.port, 'PGPORT') ?? '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new WeirError('connection', `connection "${name}": port ${JSON.stringify(portText)} is not a TCP port`);
  }
  const sslText = pick(spec.sslmode, 'PGSSLMODE') ?? 'prefer';
  if (!SSL_MODES.includes(sslText as SslMode)) {
    throw new WeirError('connection', `connection "${name}": sslmode "${sslText}" is not one of ${SSL_MODES.join(', ')}`);
  }
  const user = pick(spec.user, 'PGUSER') ?? safeOsUser();
  return {
    name,
    host: pick(spec.host, 'PGHOST') ?? 'localhost',
    port,
    user,
    database: pick(spec.database, 'PGDATABASE') ?? user,
    password: pick(spec.password, 'PGPASSWORD'),
    sslmode: sslText as SslMode,
    sslRootCert: env('PGSSLROOTCERT') || undefined,
  };
}

function safeOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

/** `user@host:port/database`: how messages and run records name a target (never the password). */
export function describeTarget(t: PgTarget): string {
  return `${t.user}@${t.host}:${t.port}/${t.database}`;
}

/** URIs for run records: no credentials. */
export function databaseUri(t: PgTarget): string {
  return `postgresql://${t.host}:${t.port}/${encodeURIComponent(t.database)}`;
}

export function targetUri(t: PgTarget, schema: string, table: string): string {
  return `${databaseUri(t)}/${encodeURIComponent(schema)}.${encodeURIComponent(table)}`;
}

function sslOption(t: PgTarget, mode: SslMode): pg.ClientConfig['ssl'] {
  if (mode === 'disable') return false;
  const ca = t.sslRootCert ? readFileSync(t.sslRootCert, 'utf8') : undefined;
  // libpq semantics: require encrypts without checking the certificate (unless a root
  // certificate is given, as libpq then verifies the CA); verify-ca checks the chain;
  // verify-full also checks the host name.
  if (mode === 'prefer' || mode === 'require') return ca ? { ca, checkServerIdentity: () => undefined } : { rejectUnauthorized: false };
  if (mode === 'verify-ca') return { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return { ca, rejectUnauthorized: true };
}

export interface OpenOptions {
  /**
   * What the session is for: its application_name (pg_stat_activity shows the run and the
   * runner, so a DBA can see who holds a lock), its timeouts, and, for a run, ending the
   * sessions that dead runs on this machine left behind (session.ts, dead-sessions.ts).
   */
  session?: SessionUse;
  connectTimeoutMs?: number;
  /** Gives up connecting when it aborts (a server that accepts and never answers would hold a cancel for connectTimeoutMs). */
  signal?: AbortSignal;
}

/**
 * A connected client. `prefer` (libpq's default) tries TLS first and falls back to a plain
 * connection when the server does not offer TLS, as psql does. Errors name the connection
 * and the server, never the password.
 */
export async function openClient(t: PgTarget, opts: OpenOptions = {}): Promise<pg.Client> {
  // Loaded on first use: `weir run` without PostgreSQL should not pay for loading pg.
  const { default: pgLib } = await import('pg');
  const use = opts.session ?? { purpose: 'test' };
  const attempt = async (mode: SslMode) => {
    const client = new pgLib.Client({
      host: t.host,
      port: t.port,
      database: t.database,
      user: t.user,
      password: t.password,
      ssl: sslOption(t, mode),
      application_name: applicationName(use),
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 15_000,
      // The runner notices a server host that vanished (the server notices us: session.ts).
      keepAlive: true,
      keepAliveInitialDelayMillis: SESSION_DEFAULTS.clientKeepAliveDelayMs,
    });
    // A server that goes away emits 'error' on the client; without a listener Node
    // would crash the whole runner. The failure surfaces through the pending query.
    client.on('error', () => undefined);
    const drop = () => void closeClient(client, { force: true });
    opts.signal?.addEventListener('abort', drop, { once: true });
    try {
      if (opts.signal?.aborted) throw new WeirError('cancelled', 'cancelled');
      await client.connect();
    } finally {
      opts.signal?.removeEventListener('abort', drop);
    }
    return client;
  };
  let client: pg.Client | null = null;
  try {
    try {
      client = await attempt(t.sslmode);
    } catch (e) {
      if (t.sslmode === 'prefer' && /does not support SSL/i.test(String((e as Error)?.message))) client = await attempt('disable');
      else throw e;
    }
    await applySessionSettings(client, wantedSettings(use));
    if (use.runId) {
      const ended = await terminateDeadRunSessions(client);
      if (ended.length) use.warn?.(describeEnded(t.name, ended));
    }
    return client;
  } catch (e) {
    if (client) await closeClient(client, { force: true });
    if (opts.signal?.aborted) throw new WeirError('cancelled', `connection "${t.name}": cancelled`);
    throw new WeirError('connection', `connection "${t.name}" (${describeTarget(t)}): ${pgErrorMessage(e, t)}`);
  }
}

/**
 * Closes a client without waiting on a server that is gone or still streaming to us.
 * `force` drops the socket at once: a COPY TO that was abandoned (cancel) would otherwise
 * keep the server writing into a full TCP window, and end() would wait for it forever.
 * The server then aborts the session's transaction.
 */
export async function closeClient(client: pg.Client, opts: { force?: boolean } = {}): Promise<void> {
  // pg has no public way to drop the socket; `connection.stream` has been its socket since pg 1.
  const socket = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  if (opts.force) {
    socket?.destroy();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    client.end().then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 2000);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
  if (!ended) socket?.destroy();
}
