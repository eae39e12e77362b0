import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { martWorkspace, type TestWorkspace } from './workspace';

/** A session an administrator ends (pg_terminate_backend) is reported as terminated, not as a server that went away. */
describe('a PostgreSQL session terminated mid-query', () => {
  let server: PostgresServer;
  let ws: TestWorkspace;
  beforeAll(async () => {
    server = await postgresDatabase();
    ws = martWorkspace(server);
  });
  afterAll(async () => {
    ws?.remove();
    await server?.teardown();
  });

  it('fails the source with one line saying the session was terminated, and the password nowhere', async () => {
    const file = ws.pipeline('slow', [{ id: 'src', name: 'slow_rows', kind: 'postgres_source', config: { connection: 'mart', query: ['select 1 as x from pg_sleep(30)'] } }]);
    const running = ws.run(file);
    // Wait for the source's session to be busy, then end it as an administrator would.
    let pid: number | undefined;
    for (let i = 0; i < 200 && pid === undefined; i++) {
      const rows = await server.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()`);
      pid = rows[0]?.pid;
      if (pid === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(pid).toBeDefined();
    await server.query('SELECT pg_terminate_backend($1)', [pid]);
    const out = await running;
    expect(out.status).toBe('failed');
    expect(out.error!.message).not.toContain('\n');
    expect(out.error!.message).toMatch(/^node "slow_rows": .*the session was terminated by the server \(pg_terminate_backend or a server shutdown\) \(terminating connection due to administrator command\)/);
    expect(out.error!.message).not.toContain('shut down or restarted');
    expect(JSON.stringify(out.record)).not.toContain(server.password);
  });
});
