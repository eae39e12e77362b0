import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../support/postgres-server';
import { martWorkspace, sinkNode, sqlNode, type TestWorkspace } from './workspace';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./run-child.ts', import.meta.url));
/** Enough rows that the load and the upsert each run for seconds on the server. */
const ROWS = 1_500_000;

/**
 * A runner SIGKILLed in the middle of its PostgreSQL work: the server must notice at once and
 * end the session, rolling back and releasing its locks. Before client_connection_check_interval
 * was set, an upsert's INSERT ran on for up to 13.8 s after the kill, holding row locks.
 */
describe('a runner killed mid-publish leaves no session and no lock behind', () => {
  let server: PostgresServer;
  let ws: TestWorkspace;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // A server of its own, not the integration run's shared cluster: the runner is killed in the
    // middle of a 1.5 M-row load and the test times how soon this server notices, undisturbed.
    server = await startPostgres();
    ws = martWorkspace(server);
    await server.query(`CREATE TABLE public.big (id bigint PRIMARY KEY, v bigint, s text)`);
    await server.query(`INSERT INTO public.big SELECT i, 0, md5(i::text) FROM generate_series(0, ${ROWS - 1}) AS i`);
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    ws?.remove();
    await server?.teardown();
  });

  function startRunner(mode: 'upsert' | 'replace', table: string): ChildProcess {
    const file = ws.pipeline(`${mode}_${table}`, [
      sqlNode('rows', [`select i as id, i * 3 as v, md5(i::varchar) as s from range(${ROWS}) as t(i)`]),
      sinkNode('publish', 'rows', { table, mode, key: ['id'] }),
    ]);
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file], { cwd: REPO, env: { ...process.env, ...ws.secrets }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    return child;
  }

  /** Waits for the run's publishing session to be running `statement`; returns its application_name. */
  async function waitFor(table: string, statement: string, child: ChildProcess): Promise<string> {
    const until = Date.now() + 180_000;
    while (Date.now() < until && child.exitCode === null) {
      const rows = await server.query<{ application_name: string }>(
        `SELECT application_name FROM pg_stat_activity WHERE application_name LIKE $1 AND state = 'active' AND query LIKE $2`,
        [`weir % publish ${table}`, `${statement}%`],
      );
      if (rows[0]) return rows[0].application_name;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`the runner never ran ${statement} (exit code ${child.exitCode})`);
  }

  /** Milliseconds from now until the server has no session with that name and no lock held by one. */
  async function untilGone(app: string): Promise<number> {
    const t0 = Date.now();
    for (;;) {
      const left = await server.query(
        `SELECT a.pid FROM pg_stat_activity a WHERE a.application_name = $1
         UNION SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = $1`,
        [app],
      );
      if (!left.length) return Date.now() - t0;
      if (Date.now() - t0 > 30_000) return Infinity;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function kill(child: ChildProcess): Promise<NodeJS.Signals | null> {
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    return exited;
  }

  it('killed during the upsert statement (the publish phase): gone within two seconds, the table untouched', { timeout: 240_000 }, async () => {
    const child = startRunner('upsert', 'big');
    const app = await waitFor('big', 'WITH up AS (INSERT', child);
    expect(app).toMatch(new RegExp(`^weir \\S+ ${child.pid}@[0-9a-f]{8} publish big$`));
    expect(await kill(child)).toBe('SIGKILL');
    expect(await untilGone(app)).toBeLessThan(2000);
    // Rolled back: not one row took the new value.
    expect((await server.query<{ n: number }>('SELECT count(*)::int AS n FROM public.big WHERE v <> 0'))[0]!.n).toBe(0);
  });

  it('killed during the COPY of a replace load: gone within two seconds, no staging table left', { timeout: 240_000 }, async () => {
    const child = startRunner('replace', 'fresh');
    const app = await waitFor('fresh', 'COPY', child);
    expect(await kill(child)).toBe('SIGKILL');
    expect(await untilGone(app)).toBeLessThan(2000);
    expect(await server.query(`SELECT relname FROM pg_class WHERE relname LIKE 'fresh%'`)).toEqual([]);
  });
});
