import { spawn, spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostTag } from '../../../src-main/engine/postgres/session';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { martWorkspace, sinkNode, sqlNode, type TestWorkspace } from './workspace';

const DEAD_RUN = '20260101T000000.000Z-dead01';

/** The pid of a process that has exited (and been reaped): no process of this machine has it now. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

/** The session settings a postgres_source's own session has, published to a table to read back. */
function factsPipeline(ws: TestWorkspace, name: string) {
  return ws.pipeline(name, [
    {
      id: 'facts',
      kind: 'postgres_source',
      config: {
        connection: 'mart',
        query: [
          "select current_setting('statement_timeout') as st, current_setting('idle_in_transaction_session_timeout') as idle,",
          "current_setting('client_connection_check_interval') as check_every, current_setting('tcp_keepalives_idle') as ka_idle,",
          "current_setting('tcp_keepalives_count') as ka_count, current_setting('application_name') as app",
        ],
      },
    },
    sinkNode('keep', 'facts', { table: `${name}_facts` }),
  ]);
}

describe('PostgreSQL sessions that die with the runner', () => {
  let server: PostgresServer;
  let ws: TestWorkspace;
  const extra: pg.Client[] = [];

  beforeAll(async () => {
    server = await postgresDatabase();
    ws = martWorkspace(server);
  });
  afterAll(async () => {
    for (const c of extra) await c.end().catch(() => undefined);
    ws?.remove();
    await server?.teardown();
  });

  async function session(opts: { app: string; user?: string; password?: string }): Promise<pg.Client> {
    const c = new pg.Client({ host: server.host, port: server.port, database: server.database, user: opts.user ?? server.user, password: opts.password ?? server.password, application_name: opts.app });
    c.on('error', () => undefined);
    await c.connect();
    extra.push(c);
    return c;
  }

  const pidOf = async (c: pg.Client) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  const alive = async (pid: number) => (await server.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).length === 1;

  it("names the run, process and host, and bounds the session where the server leaves it open", async () => {
    const out = await ws.run(factsPipeline(ws, 'plain'));
    expect(out.error?.message ?? null).toBeNull();
    const [row] = await server.query('SELECT * FROM public.plain_facts');
    expect(row).toEqual({
      st: '1h',
      idle: '5min',
      check_every: '1s',
      ka_idle: '10',
      ka_count: '3',
      app: `weir ${out.runId} ${process.pid}@${hostTag()} source facts`,
    });
  });

  it("keeps what the DBA or the user set (ALTER DATABASE ... SET, PGOPTIONS)", async () => {
    await server.createDatabase('tuned');
    await server.query(`ALTER DATABASE tuned SET statement_timeout = '7min'`);
    await server.query(`ALTER DATABASE tuned SET client_connection_check_interval = '3s'`);
    const tuned = martWorkspace({ ...server, database: 'tuned' });
    const before = process.env.PGOPTIONS;
    process.env.PGOPTIONS = '-c tcp_keepalives_count=9';
    try {
      const out = await tuned.run(factsPipeline(tuned, 'tuned'));
      expect(out.error?.message ?? null).toBeNull();
      const c = await server.client('tuned');
      const row = (await c.query('SELECT st, idle, check_every, ka_count FROM public.tuned_facts')).rows[0];
      await c.end();
      expect(row).toEqual({ st: '7min', idle: '5min', check_every: '3s', ka_count: '9' });
    } finally {
      if (before === undefined) delete process.env.PGOPTIONS;
      else process.env.PGOPTIONS = before;
      tuned.remove();
    }
  });

  it('a publish waiting idle in transaction for the rest of the graph is not cut by idle_in_transaction_session_timeout', { timeout: 60_000 }, async () => {
    await server.createDatabase('impatient');
    // Far shorter than the wait: without the pings the server would end the publishing session.
    await server.query(`ALTER DATABASE impatient SET idle_in_transaction_session_timeout = '400ms'`);
    const impatient = martWorkspace({ ...server, database: 'impatient' });
    try {
      const file = impatient.pipeline('waits', [
        // An independent branch that keeps the run going for 2.5 s after the sink has loaded.
        { id: 'slow', kind: 'postgres_source', config: { connection: 'mart', query: ['select 1 as x from pg_sleep(2.5)'] } },
        sqlNode('rows', ['select i as id, i * 2 as v from range(1000) as t(i)']),
        sinkNode('publish', 'rows', { table: 'waited', mode: 'replace' }),
      ]);
      const out = await impatient.run(file);
      expect(out.error?.message ?? null).toBeNull();
      expect(out.status).toBe('succeeded');
      const c = await server.client('impatient');
      const n = (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM public.waited')).rows[0]!.n;
      await c.end();
      expect(n).toBe(1000);
    } finally {
      impatient.remove();
    }
  });

  it("ends a dead run's session before publishing, and no one else's", { timeout: 60_000 }, async () => {
    await server.query('CREATE TABLE public.locked (id int PRIMARY KEY, v int)');
    await server.query(`CREATE ROLE someone_else LOGIN PASSWORD 'other-pw'`);
    await server.query(`GRANT ALL ON DATABASE ${server.database} TO someone_else`);
    const gone = deadPid();
    const mine = hostTag();
    const otherHost = mine === '00000000' ? '11111111' : '00000000';
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      // A dead run's session, idle in transaction and holding the table the run publishes to.
      const leftover = await session({ app: `weir ${DEAD_RUN} ${gone}@${mine} publish locked` });
      await leftover.query('BEGIN');
      await leftover.query('LOCK TABLE public.locked IN ACCESS EXCLUSIVE MODE');
      const leftoverPid = await pidOf(leftover);
      // Not to be touched: a live runner's, another machine's, another user's, and a psql session.
      const keep = await Promise.all([
        session({ app: `weir ${DEAD_RUN} ${live.pid}@${mine} publish x` }),
        session({ app: `weir ${DEAD_RUN} ${gone}@${otherHost} publish x` }),
        session({ app: `weir ${DEAD_RUN} ${gone}@${mine} publish x`, user: 'someone_else', password: 'other-pw' }),
        session({ app: 'psql' }),
      ]);
      const keepPids = await Promise.all(keep.map(pidOf));

      const file = ws.pipeline('after_crash', [sqlNode('rows', ['select i as id, i as v from range(10) as t(i)']), sinkNode('publish', 'rows', { table: 'locked', mode: 'replace', lock_timeout_seconds: 2 })]);
      const out = await ws.run(file);
      expect(out.error?.message ?? null).toBeNull();
      expect((await server.query<{ n: number }>('SELECT count(*)::int AS n FROM public.locked'))[0]!.n).toBe(10);
      expect(await alive(leftoverPid)).toBe(false);
      for (const pid of keepPids) expect(await alive(pid)).toBe(true);
      const warnings = out.events.flatMap((e) => (e.type === 'node_warning' && e.name === 'publish' ? [e.message] : []));
      expect(warnings).toEqual([
        `connection "mart": ended 1 PostgreSQL session left by run ${DEAD_RUN}, whose process on this machine is gone (server pid ${leftoverPid}, idle in transaction, runner pid ${gone}); their open transactions were rolled back. Only this user's sessions are ever ended`,
      ]);
    } finally {
      live.kill('SIGKILL');
    }
  });
});
