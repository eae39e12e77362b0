import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { martWorkspace, sinkNode, sqlNode, type TestWorkspace } from './workspace';

/** A pipeline publishing the given rows (id, batch, value) with one sink config. */
function rowsPipeline(ws: TestWorkspace, name: string, values: string, sink: Record<string, unknown>): string {
  return ws.pipeline(name, [
    sqlNode('rows', [`select id, batch_id, value::decimal(10,1) as value from (values ${values}) as t(id, batch_id, value)`]),
    sinkNode('publish', 'rows', sink),
  ]);
}

describe('postgres_sink modes', () => {
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

  const table = async (t: string) => server.query(`SELECT id, batch_id, value::text AS value FROM ${t} ORDER BY id`);

  it('upsert updates rows whose key exists and inserts the others', async () => {
    const sink = { table: 'results', mode: 'upsert', key: ['id'] };
    const first = await ws.run(rowsPipeline(ws, 'upsert1', "(1, 'B1', 1.5), (2, 'B1', 2.5)", sink));
    expect(first.error?.message ?? null).toBeNull();
    // The first upsert creates the table with the key as primary key.
    const [pk] = await server.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'public.results'::regclass AND contype = 'p'`);
    expect(pk).toEqual({ def: 'PRIMARY KEY (id)' });

    const second = await ws.run(rowsPipeline(ws, 'upsert2', "(2, 'B2', 20.5), (3, 'B3', 3.5)", sink));
    expect(second.error?.message ?? null).toBeNull();
    expect(second.record.nodes.find((n) => n.id === 'publish')?.rows).toBe(2);
    expect(await table('results')).toEqual([
      { id: 1, batch_id: 'B1', value: '1.5' },
      { id: 2, batch_id: 'B2', value: '20.5' },
      { id: 3, batch_id: 'B3', value: '3.5' },
    ]);
  });

  it('upsert with a composite key, and only key columns (insert if missing)', async () => {
    const sink = { table: 'pairs', mode: 'upsert', key: ['id', 'batch_id'] };
    await ws.run(rowsPipeline(ws, 'pairs1', "(1, 'A', 1.0), (1, 'B', 2.0)", sink));
    const out = await ws.run(rowsPipeline(ws, 'pairs2', "(1, 'B', 9.0), (2, 'A', 3.0)", sink));
    expect(out.error?.message ?? null).toBeNull();
    expect(await server.query(`SELECT id, batch_id, value::text AS value FROM pairs ORDER BY id, batch_id`)).toEqual([
      { id: 1, batch_id: 'A', value: '1.0' },
      { id: 1, batch_id: 'B', value: '9.0' },
      { id: 2, batch_id: 'A', value: '3.0' },
    ]);
    const keysOnly = ws.pipeline('keys_only', [
      sqlNode('rows', [`select * from (values (1, 'A'), (5, 'Z')) as t(id, batch_id)`]),
      sinkNode('publish', 'rows', sink),
    ]);
    const k = await ws.run(keysOnly);
    expect(k.error?.message ?? null).toBeNull();
    expect(await server.query(`SELECT id, batch_id, value::text AS value FROM pairs ORDER BY id, batch_id`)).toEqual([
      { id: 1, batch_id: 'A', value: '1.0' },
      { id: 1, batch_id: 'B', value: '9.0' },
      { id: 2, batch_id: 'A', value: '3.0' },
      { id: 5, batch_id: 'Z', value: null },
    ]);
  });

  it('upsert fails clearly on duplicate keys in the input and changes nothing', async () => {
    const out = await ws.run(rowsPipeline(ws, 'dupes', "(7, 'X', 1.0), (7, 'Y', 2.0)", { table: 'results', mode: 'upsert', key: ['id'] }));
    expect(out.status).toBe('failed');
    expect(out.error?.message).toMatch(/^node "publish": publishing "public"\."results" \(upsert\) on connection "mart" failed: .*cannot affect row a second time.*same key \(id\).*rolled back/);
    expect(await table('results')).toHaveLength(3);
  });

  it('upsert into a table without a matching unique constraint names what is missing', async () => {
    await server.query(`CREATE TABLE loose (id integer, batch_id text, value numeric)`);
    const out = await ws.run(rowsPipeline(ws, 'loose', "(1, 'B1', 1.5)", { table: 'loose', mode: 'upsert', key: ['id'] }));
    expect(out.status).toBe('failed');
    expect(out.error?.message).toContain('upsert needs a primary key or unique constraint on exactly (id)');
  });

  it('append adds rows to what is there, creating the table the first time', async () => {
    const sink = { table: 'events', mode: 'append' };
    await ws.run(rowsPipeline(ws, 'append1', "(1, 'B1', 1.0), (2, 'B1', 2.0)", sink));
    const out = await ws.run(rowsPipeline(ws, 'append2', "(2, 'B2', 2.0), (3, 'B3', NULL)", sink));
    expect(out.error?.message ?? null).toBeNull();
    expect(out.record.nodes.find((n) => n.id === 'publish')?.rows).toBe(2);
    expect(await table('events')).toEqual([
      { id: 1, batch_id: 'B1', value: '1.0' },
      { id: 2, batch_id: 'B1', value: '2.0' },
      { id: 2, batch_id: 'B2', value: '2.0' },
      { id: 3, batch_id: 'B3', value: null },
    ]);
  });

  it('append that violates a constraint rolls back all of its rows', async () => {
    await server.query(`ALTER TABLE events ADD CONSTRAINT value_positive CHECK (value > 0)`);
    const out = await ws.run(rowsPipeline(ws, 'append_bad', "(4, 'B4', 4.0), (5, 'B5', -1.0)", { table: 'events', mode: 'append' }));
    expect(out.status).toBe('failed');
    expect(out.error?.message).toMatch(/publishing "public"\."events" \(append\) on connection "mart" failed: .*value_positive.*rolled back/);
    expect(await table('events')).toHaveLength(4);
  });

  it('replace keeps the grants dashboards rely on and swaps in the new columns', async () => {
    const sink = { table: 'kpis', mode: 'replace' };
    await ws.run(rowsPipeline(ws, 'kpis1', "(1, 'B1', 1.0)", sink));
    await server.query(`CREATE ROLE dashboard NOLOGIN; GRANT USAGE ON SCHEMA public TO dashboard; GRANT SELECT ON kpis TO dashboard`);
    const out = await ws.run(
      ws.pipeline('kpis2', [sqlNode('rows', [`select 2 as id, 'B2' as batch_id, 5 as extra`]), sinkNode('publish', 'rows', sink)]),
    );
    expect(out.error?.message ?? null).toBeNull();
    expect(await server.query(`SELECT * FROM kpis`)).toEqual([{ id: 2, batch_id: 'B2', extra: 5 }]);
    const [g] = await server.query(`SELECT has_table_privilege('dashboard', 'public.kpis', 'SELECT') AS can_read`);
    expect(g).toEqual({ can_read: true });
  });

  it('replace goes in place, with a warning, where a view depends on the table', async () => {
    await server.query(`CREATE VIEW kpis_view AS SELECT id, batch_id FROM kpis`);
    // With other columns than the table has, neither a swap nor in place can work: say why.
    const changed = await ws.run(rowsPipeline(ws, 'kpis_changed', "(3, 'B3', 1.0)", { table: 'kpis', mode: 'replace' }));
    expect(changed.error?.message).toContain('"public"."kpis" cannot be swapped because kpis_view depends on it, and it cannot be replaced in place because it has no column "value"');
    const out = await ws.run(
      ws.pipeline('kpis3', [
        sqlNode('rows', [`select * from (values (3, 'B3', 30), (4, 'B4', 40)) as t(id, batch_id, extra)`]),
        sinkNode('publish', 'rows', { table: 'kpis', mode: 'replace' }),
      ]),
    );
    expect(out.error?.message ?? null).toBeNull();
    expect(out.events.some((e) => e.type === 'node_warning' && /views or foreign keys depend on "public"\."kpis"/.test(e.message))).toBe(true);
    expect(await server.query(`SELECT * FROM kpis_view ORDER BY id`)).toEqual([
      { id: 3, batch_id: 'B3' },
      { id: 4, batch_id: 'B4' },
    ]);
  });

  it('refuses to replace a view, and names columns missing from the input', async () => {
    const v = await ws.run(rowsPipeline(ws, 'onto_view', "(1, 'B1', 1.0)", { table: 'kpis_view', mode: 'replace' }));
    expect(v.error?.message).toContain('"public"."kpis_view" is a view, not a table');
    const k = await ws.run(rowsPipeline(ws, 'bad_key', "(1, 'B1', 1.0)", { table: 'x', mode: 'upsert', key: ['batch'] }));
    expect(k.error?.message).toContain('column "batch" named in the sink\'s config is not in its input (columns: id, batch_id, value)');
  });
});
