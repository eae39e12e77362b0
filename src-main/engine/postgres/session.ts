import { hostTag } from '../host/identity';
import type pg from 'pg';

/**
 * What a Weir session tells the server about itself, and the settings that make it die with
 * the runner (README, "PostgreSQL sessions"):
 *
 * - `application_name` names the run, the runner's process and host, and the work, so that a
 *   DBA sees who holds a lock and the next run can tell a dead run's session from a live one;
 * - `client_connection_check_interval` (PostgreSQL 14+) makes the server notice, during a long
 *   statement, that the client has gone (a SIGKILLed runner's upsert otherwise ran on for
 *   seconds, holding row locks); `tcp_keepalives_*` do the same for a host that vanished;
 * - `statement_timeout` is a last guard against a statement that never ends;
 * - `idle_in_transaction_session_timeout` ends a transaction whose runner froze; a publishing
 *   session, idle in transaction while the rest of the graph runs, is kept busy (keep-busy.ts).
 *
 * Each is set only where the server leaves it at its built-in default: a value given by the
 * DBA (postgresql.conf, ALTER ROLE / DATABASE ... SET) or by the user (PGOPTIONS) wins.
 */
export type SessionPurpose = 'publish' | 'source' | 'test' | 'lot-state';

export interface SessionUse {
  purpose: SessionPurpose;
  /** The run (or preview) the session works for; none for a connection test. */
  runId?: string;
  /** What it works on (a table, a node), shown after the rest when it fits. */
  detail?: string;
  /** The statement_timeout to set when the server has none; default SESSION_DEFAULTS.statementTimeoutMs. */
  statementTimeoutMs?: number;
  /** Told when opening did something the user should know (dead runs' sessions ended). */
  warn?: (message: string) => void;
}

export const SESSION_DEFAULTS = {
  /** Generous: a COPY of a large load is exempt anyway (withoutStatementTimeout). */
  statementTimeoutMs: 60 * 60_000,
  /** A frozen runner's transaction ends after this; a waiting publish pings well within it. */
  idleInTransactionMs: 5 * 60_000,
  /** How often a busy backend checks that the client is still there (PostgreSQL 14+). */
  connectionCheckMs: 1_000,
  /** Server-side TCP keepalives: a vanished client host is noticed within about 25 s. */
  keepalivesIdleS: 10,
  keepalivesIntervalS: 5,
  keepalivesCount: 3,
  /** Client-side TCP keepalives (pg's keepAlive): a vanished server host is noticed too. */
  clientKeepAliveDelayMs: 10_000,
} as const;

/** PostgreSQL keeps the first 63 bytes of an application_name. */
const MAX_APPLICATION_NAME = 63;

export { hostTag };

/**
 * `weir <run id> <pid>@<host tag> <purpose> <detail>` (at most 63 printable ASCII bytes: the
 * run, process and host always fit); a connection test: `weir test <pid>@<host tag> ...`.
 */
export function applicationName(use: SessionUse, pid = process.pid, host = hostTag()): string {
  const head = use.runId ? `weir ${use.runId} ${pid}@${host} ${use.purpose}` : `weir ${use.purpose} ${pid}@${host}`;
  const text = use.detail ? `${head} ${use.detail}` : head;
  // The server turns other bytes into '?' or escapes; keep what it shows and what we parse equal.
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, MAX_APPLICATION_NAME);
}

const RUN_SESSION = /^weir (\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}) (\d{1,10})@([0-9a-f]{8})(?: |$)/;

/** The run, runner process and host tag an application_name of a run's session carries; null for anything else. */
export function parseApplicationName(name: string): { runId: string; pid: number; host: string } | null {
  const m = RUN_SESSION.exec(name);
  return m ? { runId: m[1]!, pid: Number(m[2]), host: m[3]! } : null;
}

/** The settings Weir wants for a use, by name, in the units PostgreSQL takes without one. */
export function wantedSettings(use: SessionUse): Record<string, string> {
  const d = SESSION_DEFAULTS;
  return {
    statement_timeout: String(Math.max(0, Math.round(use.statementTimeoutMs ?? d.statementTimeoutMs))),
    idle_in_transaction_session_timeout: String(d.idleInTransactionMs),
    client_connection_check_interval: String(d.connectionCheckMs),
    tcp_keepalives_idle: String(d.keepalivesIdleS),
    tcp_keepalives_interval: String(d.keepalivesIntervalS),
    tcp_keepalives_count: String(d.keepalivesCount),
  };
}

export interface SessionSettings {
  /** In effect after applying: Weir's value, or the one the server or user had set. */
  idleInTransactionMs: number;
  statementTimeoutMs: number;
  /** Names of the wanted settings the server does not have (client_connection_check_interval before 14). */
  unsupported: string[];
}

const applied = new WeakMap<pg.Client, SessionSettings>();

/** What applySessionSettings left in effect on a client opened by openClient. */
export function sessionSettings(client: pg.Client): SessionSettings | undefined {
  return applied.get(client);
}

/**
 * Sets each wanted setting the server leaves at its built-in default, in one round trip. A
 * setting the server does not know is skipped (joined against pg_settings), so older servers
 * simply go without it.
 */
export async function applySessionSettings(client: pg.Client, wanted: Record<string, string>): Promise<SessionSettings> {
  const names = Object.keys(wanted);
  const r = await client.query<{ name: string; setting: string; unit: string | null; source: string; value: string | null }>(
    `SELECT s.name, s.setting, s.unit, s.source,
            CASE WHEN s.source = 'default' THEN set_config(s.name, w.value, false) END AS value
       FROM unnest($1::text[], $2::text[]) AS w(name, value)
       JOIN pg_settings s ON s.name = w.name`,
    [names, names.map((n) => wanted[n])],
  );
  const found = new Map(r.rows.map((row) => [row.name, row]));
  const ms = (name: string): number => {
    const row = found.get(name);
    if (!row) return 0;
    if (row.value !== null) return Number(wanted[name]);
    return Number(row.setting) * (row.unit === 's' ? 1000 : row.unit === 'min' ? 60_000 : 1);
  };
  const settings: SessionSettings = {
    idleInTransactionMs: ms('idle_in_transaction_session_timeout'),
    statementTimeoutMs: ms('statement_timeout'),
    unsupported: names.filter((n) => !found.has(n)),
  };
  applied.set(client, settings);
  return settings;
}

/**
 * Runs `work` (a COPY FROM STDIN) with no statement_timeout, then puts the session's value
 * back: a load's length follows how fast the rows arrive, and a runner that dies ends the COPY
 * at once (the server reads end-of-file), so only the other statements need the guard.
 * Must be called inside a transaction (the change is LOCAL); a failure leaves it to the rollback.
 */
export async function withoutStatementTimeout<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  const r = await client.query<{ before: string }>(`SELECT current_setting('statement_timeout') AS before, set_config('statement_timeout', '0', true)`);
  const result = await work();
  await client.query(`SELECT set_config('statement_timeout', $1, true)`, [r.rows[0]!.before]);
  return result;
}
