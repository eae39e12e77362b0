import { pidAlive } from '../host/identity';
import type pg from 'pg';
import { hostTag, parseApplicationName } from './session';

export interface DeadRunSession {
  /** The server process of the session. */
  pid: number;
  runId: string;
  /** The runner's process id, which no longer exists on this machine. */
  runnerPid: number;
  /** pg_stat_activity's state when found: `active`, `idle in transaction`, ... */
  state: string;
  database: string;
}

export interface CleanupOptions {
  /** Whether a process of this machine exists; default: signal 0. */
  isAlive?: (pid: number) => boolean;
  /** This runner's host tag (session.ts); default: hostTag(). */
  host?: string;
  /** How long to wait for the terminated sessions to be gone (their locks released). */
  waitMs?: number;
}

/**
 * Ends the sessions that runs on this machine left behind when they died (SIGKILL, a crash, a
 * power cut of the runner only): sessions of the current user whose application_name names a
 * Weir run, this machine's host tag, and a runner process that no longer exists. Their open
 * transactions roll back and their locks go. Other users' sessions, other machines' and live
 * runners' are never touched; a session the user may not signal is left as it is.
 * Returns the sessions ended.
 */
export async function terminateDeadRunSessions(client: pg.Client, opts: CleanupOptions = {}): Promise<DeadRunSession[]> {
  const isAlive = opts.isAlive ?? pidAlive;
  const host = opts.host ?? hostTag();
  const r = await client.query<{ pid: number; application_name: string; state: string | null; datname: string | null }>(
    `SELECT pid, application_name, state, datname FROM pg_stat_activity
      WHERE usename = current_user AND pid <> pg_backend_pid() AND application_name LIKE 'weir %'`,
  );
  const dead: DeadRunSession[] = [];
  for (const row of r.rows) {
    const app = parseApplicationName(row.application_name);
    if (!app || app.host !== host || app.pid === process.pid || isAlive(app.pid)) continue;
    dead.push({ pid: row.pid, runId: app.runId, runnerPid: app.pid, state: row.state ?? 'unknown', database: row.datname ?? '' });
  }
  const ended: DeadRunSession[] = [];
  for (const s of dead) {
    try {
      const t = await client.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [s.pid]);
      if (t.rows[0]?.ok) ended.push(s);
    } catch {
      // Not allowed (another role's session reused the name) or already gone: leave it.
    }
  }
  if (ended.length) await waitGone(client, ended.map((s) => s.pid), opts.waitMs ?? 3000);
  return ended;
}

/** A terminated backend rolls back and exits within moments; the caller's work may need its locks. */
async function waitGone(client: pg.Client, pids: number[], waitMs: number): Promise<void> {
  const until = Date.now() + waitMs;
  for (;;) {
    const r = await client.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids]);
    if (!r.rowCount || Date.now() >= until) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One line for the run's warnings. */
export function describeEnded(connection: string, ended: readonly DeadRunSession[]): string {
  const runs = [...new Set(ended.map((s) => s.runId))];
  const what = ended.map((s) => `server pid ${s.pid}, ${s.state}, runner pid ${s.runnerPid}`).join('; ');
  return (
    `connection "${connection}": ended ${ended.length} PostgreSQL session${ended.length > 1 ? 's' : ''} left by ` +
    `${runs.length > 1 ? 'runs' : 'run'} ${runs.join(', ')}, whose process on this machine is gone (${what}); ` +
    `their open transactions were rolled back. Only this user's sessions are ever ended`
  );
}
