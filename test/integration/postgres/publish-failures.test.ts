import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startPostgres, type PostgresServer } from '../../support/postgres-server';
import { martWorkspace, sinkNode, sqlNode, type TestWorkspace } from './workspace';

/** Enough rows that the publish is still streaming when the test interferes. */
const BIG = 600_000;

describe('a publish that cannot finish leaves the mart as it was', () => {
  let server: PostgresServer;
  let ws: TestWorkspace;
  let file: string;

  beforeAll(async () => {
    // A server of its own, not the integration run's shared cluster: this file stops it mid-publish.
    server = await startPostgres();
    ws = martWorkspace(server);
    file = ws.pipeline(
      'batches_mart',
      [
        sqlNode('rows', [
          "select getvariable('version') as version, i as row_no, 'B' || lpad((i % 5000)::varchar, 4, '0') as batch_id, i * 0.25 as value",
          "from range(getvariable('row_count')) as t(i)",
        ]),
        sinkNode('publish', 'rows', { schema: 'mart', table: 'batches', mode: 'replace' }),
      ],
      { version: { type: 'integer', default: 1 }, row_count: { type: 'integer', default: 1000 } },
    );
    const first = await ws.run(file, { params: { version: 1, row_count: 1000 } });
    expect(first.error?.message ?? null).toBeNull();
  });
  afterAll(async () => {
    ws?.remove();
    await server?.teardown();
  });

  const mart = () => server.query('SELECT count(*)::int AS n, min(version)::int AS lo, max(version)::int AS hi FROM mart.batches');
  const leftovers = () => server.query(`SELECT relname FROM pg_class WHERE relname LIKE '%weir_stage%'`);

  it('the server stopped mid-publish: the run fails with a clear error; after a restart the old mart is intact', async () => {
    let stopping: Promise<void> | null = null;
    const out = await ws.run(file, {
      params: { version: 2, row_count: BIG },
      onEvent: (e) => {
        if (e.type === 'node_rows' && e.name === 'publish' && e.rows < BIG && !stopping) stopping = server.stop();
      },
    });
    await stopping;
    expect(stopping).not.toBeNull();
    expect(out.status).toBe('failed');
    expect(out.error?.kind).toBe('connection');
    expect(out.error?.message).toMatch(
      /^node "publish": publishing "mart"\."batches" \(replace\) on connection "mart" failed: (the session was terminated by the server \(pg_terminate_backend or a server shutdown\)|the connection to the server was lost) \(.+\); rolled back \(the table is as it was\)$/,
    );
    expect(out.error?.message).not.toContain(server.password);
    expect(out.record.nodes.find((n) => n.id === 'publish')?.status).toBe('failed');

    await server.restart();
    expect(await mart()).toEqual([{ n: 1000, lo: 1, hi: 1 }]);
    expect(await leftovers()).toEqual([]);
  });

  it('cancel mid-publish rolls back and leaves no session or staging table behind', async () => {
    const ac = new AbortController();
    const out = await ws.run(file, {
      params: { version: 3, row_count: BIG },
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'node_rows' && e.name === 'publish' && e.rows < BIG) ac.abort();
      },
    });
    expect(ac.signal.aborted).toBe(true);
    expect(out.status).toBe('cancelled');
    expect(out.record.nodes.find((n) => n.id === 'publish')?.status).toBe('cancelled');
    expect(await mart()).toEqual([{ n: 1000, lo: 1, hi: 1 }]);
    expect(await leftovers()).toEqual([]);
    // The publishing session is gone: nothing holds a lock or an open transaction.
    expect(await server.query(`SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'weir%'`)).toEqual([]);
  });

  it('a row PostgreSQL refuses in the middle of the stream (row 300,000) rolls back all of them', async () => {
    const failing = ws.pipeline('fails_midway', [
      sqlNode('rows', [
        "select 9 as version, i as row_no, case when i = 300000 then 'B' || chr(0) else 'B' || i end as batch_id, i * 0.25 as value",
        `from range(${BIG}) as t(i)`,
      ]),
      sinkNode('publish', 'rows', { schema: 'mart', table: 'batches', mode: 'replace' }),
    ]);
    const out = await ws.run(failing);
    expect(out.status).toBe('failed');
    expect(out.error?.message).toMatch(
      /^node "publish": publishing "mart"\."batches" \(replace\) on connection "mart" failed: invalid byte sequence for encoding "UTF8": 0x00 \(row 300001\); rolled back \(the table is as it was\)$/,
    );
    expect(await mart()).toEqual([{ n: 1000, lo: 1, hi: 1 }]);
    expect(await leftovers()).toEqual([]);
    expect(await server.query(`SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'weir%'`)).toEqual([]);
  });

  it('a completed publish after all that replaces the mart', async () => {
    const out = await ws.run(file, { params: { version: 4, row_count: 5000 } });
    expect(out.error?.message ?? null).toBeNull();
    expect(await mart()).toEqual([{ n: 5000, lo: 4, hi: 4 }]);
  });

  it('an unreachable server and a wrong password fail with one line that never shows the password', async () => {
    const port = await freePort();
    const down = martWorkspace({ ...server, port });
    const wrong = martWorkspace({ ...server, password: 'not-the-password' });
    try {
      const refused = await down.run(down.pipeline('refused', [sqlNode('rows', ['select 1 as x']), sinkNode('publish', 'rows', { table: 't' })]));
      expect(refused.status).toBe('failed');
      expect(refused.error?.kind).toBe('connection');
      expect(refused.error?.message).toBe(
        // User and database came from ${env:...}: masked; the host and port stay.
        `node "publish": publishing "public"."t" (replace): connection "mart" (***@127.0.0.1:${port}/***): connection refused: is the server running and accepting TCP connections? (connect ECONNREFUSED 127.0.0.1:${port})`,
      );

      const denied = await wrong.run(wrong.pipeline('denied', [sqlNode('rows', ['select 1 as x']), sinkNode('publish', 'rows', { table: 't' })]));
      expect(denied.error?.message).toMatch(/^node "publish": publishing "public"\."t" \(replace\): connection "mart" \(.+\): password authentication failed for user "\*\*\*"$/);
      expect(denied.error?.message).not.toContain('not-the-password');
      expect(denied.events.map((e) => JSON.stringify(e)).join('\n')).not.toContain('not-the-password');
    } finally {
      down.remove();
      wrong.remove();
    }
  });
});
