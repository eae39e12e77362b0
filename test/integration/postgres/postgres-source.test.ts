import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../support/duckdb';
import { postgresDatabase } from '../../support/postgres-database';
import { freePort, type PostgresServer } from '../../support/postgres-server';
import { martWorkspace, sqlNode, type TestWorkspace } from './workspace';

type Row = Record<string, unknown>;

/** Runs a pipeline whose last node is written to Parquet, and returns that file's rows. */
async function readBack(ws: TestWorkspace, file: string, orderBy: string): Promise<Row[]> {
  const conn = await testConnection();
  try {
    return (await conn.runAndReadAll(`SELECT * FROM read_parquet('${join(ws.root, file)}') ORDER BY ${orderBy}`)).getRowObjectsJS() as Row[];
  } finally {
    conn.closeSync();
  }
}

describe('postgres_source reads a table or a query into DuckDB', () => {
  let server: PostgresServer;
  let ws: TestWorkspace;

  beforeAll(async () => {
    server = await postgresDatabase();
    ws = martWorkspace(server);
    await server.query(`
      CREATE SCHEMA lims;
      CREATE TABLE lims.results (
        id int PRIMARY KEY, sample text, note text, value numeric(10,3), raw numeric, big numeric(50,2), ratio float8,
        tested_at timestamptz, day date, local_ts timestamp, ok boolean, tags text[], doc jsonb, bin bytea, took interval, uid uuid, addr inet);
      INSERT INTO lims.results VALUES
        (1, 'S1', 'q"uote, comma' || chr(10) || 'line \\N', 12.345, 1.25, 123.45, 0.1, '2024-03-01 10:00:00.123456+02', '2024-03-01', '2024-03-01 10:00:00',
         true, '{a,"b c",NULL}', '{"k": [1, "ü"]}', '\\x00ff', '-1 days +02:00:00', '2b6e7c1c-0f7e-4c1a-9d43-5f2e1c9a0b11', '10.0.0.1'),
        (2, 'S2', '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        (3, 'Zürich – 細胞', '\\N', -0.001, 'NaN', 0, 'Infinity', 'infinity', '-infinity', '1999-12-31 23:59:59.999999',
         false, '{}', 'null', '\\x', '1 year 2 mons 3 days 04:05:06.5', NULL, NULL);
      CREATE SEQUENCE lims.seq;`);
  });
  afterAll(async () => {
    ws?.remove();
    await server?.teardown();
  });

  it('reads a whole table with typed columns; NULL and empty text stay apart', async () => {
    const file = ws.pipeline('read_table', [
      { id: 'results', kind: 'postgres_source', config: { connection: 'mart', schema: 'lims', table: 'results' } },
      sqlNode(
        'shown',
        [
          "select id, sample, note, note is null as note_is_null, value, typeof(value) as value_type, raw, typeof(raw) as raw_type, big, ratio,",
          "  epoch_us(tested_at) as tested_us, typeof(tested_at) as tested_type, day::varchar as day, local_ts, ok, tags::varchar as tags, typeof(tags) as tags_type,",
          "  doc::varchar as doc, hex(bin) as bin, typeof(bin) as bin_type, took::varchar as took, uid::varchar as uid, addr",
          'from results',
        ],
        ['results'],
      ),
      { id: 'out', kind: 'file_sink', inputs: ['shown'], config: { path: 'out/table.parquet', format: 'parquet' } },
    ]);
    const out = await ws.run(file);
    expect(out.error?.message ?? null).toBeNull();
    const rec = out.record.nodes.find((n) => n.id === 'results')!;
    expect(rec.rows).toBe(3);
    // The database name came from ${env:MART_DB}: masked, like every resolved value but a host and port.
    expect(rec.inputs?.[0]?.uri).toBe(`postgresql://127.0.0.1:${server.port}/***/lims.results`);
    expect(rec.inputs?.[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);

    const rows = await readBack(ws, 'out/table.parquet', 'id');
    expect(rows[0]).toMatchObject({
      id: 1,
      sample: 'S1',
      note: 'q"uote, comma\nline \\N',
      note_is_null: false,
      value: 12.345,
      value_type: 'DECIMAL(10,3)',
      raw: 1.25,
      raw_type: 'DOUBLE',
      big: 123.45,
      ratio: 0.1,
      tested_us: 1709280000123456n,
      tested_type: 'TIMESTAMP WITH TIME ZONE',
      day: '2024-03-01',
      ok: true,
      tags: '["a", "b c", null]',
      tags_type: 'JSON',
      doc: '{"k": [1, "ü"]}',
      bin: '00FF',
      bin_type: 'BLOB',
      took: '-1 day 02:00:00',
      uid: '2b6e7c1c-0f7e-4c1a-9d43-5f2e1c9a0b11',
      addr: '10.0.0.1/32',
    });
    expect(rows[1]).toMatchObject({ id: 2, note: '', note_is_null: false, value: null, raw: null, tested_us: null, tags: null, doc: null, bin: null, took: null });
    expect(rows[2]).toMatchObject({
      sample: 'Zürich – 細胞',
      note: '\\N',
      note_is_null: false,
      value: -0.001,
      ratio: Infinity,
      day: '-infinity',
      tags: '[]',
      doc: 'null',
      bin: '',
      took: '1 year 2 months 3 days 04:05:06.5',
    });
    expect(Number.isNaN(rows[2]!.raw)).toBe(true);
  });

  it('reads a query (trailing semicolon and comments allowed) in a read-only transaction', async () => {
    const file = ws.pipeline('read_query', [
      {
        id: 'recent',
        kind: 'postgres_source',
        config: { connection: 'mart', query: ['-- results with a value', 'select id, sample, value * 2 as doubled', 'from lims.results', 'where value is not null;'] },
      },
      { id: 'out', kind: 'file_sink', inputs: ['recent'], config: { path: 'out/query.parquet', format: 'parquet' } },
    ]);
    const out = await ws.run(file);
    expect(out.error?.message ?? null).toBeNull();
    expect(await readBack(ws, 'out/query.parquet', 'id')).toEqual([
      { id: 1, sample: 'S1', doubled: 24.69 },
      { id: 3, sample: 'Zürich – 細胞', doubled: -0.002 },
    ]);

    const writes = await ws.run(ws.pipeline('writes', [{ id: 'sneaky', kind: 'postgres_source', config: { connection: 'mart', query: ["select nextval('lims.seq') as n"] } }]));
    expect(writes.status).toBe('failed');
    expect(writes.error?.message).toBe('node "sneaky": reading query on connection "mart" failed: cannot execute nextval() in a read-only transaction');
  });

  it('names the table and the reason when it cannot read', async () => {
    const out = await ws.run(ws.pipeline('missing', [{ id: 'gone', kind: 'postgres_source', config: { connection: 'mart', schema: 'lims', table: 'nope' } }]));
    expect(out.error?.message).toBe('node "gone": reading table "lims"."nope" on connection "mart" failed: relation "lims.nope" does not exist');
    // An undefined connection is refused before the run starts (validate's check), naming the node.
    await expect(ws.run(ws.pipeline('no_server', [{ id: 'far', kind: 'postgres_source', config: { connection: 'other', table: 't' } }]))).rejects.toThrow(
      /: postgres_source "far", Connection: node "far" uses connection "other", which environment "dev" does not define \(connections: mart\)/,
    );
    const port = await freePort();
    const off = martWorkspace({ ...server, port });
    try {
      const refused = await off.run(off.pipeline('refused', [{ id: 'src', kind: 'postgres_source', config: { connection: 'mart', table: 't' } }]));
      expect(refused.error?.kind).toBe('connection');
      expect(refused.error?.message).toBe(
        `node "src": reading table "public"."t": connection "mart" (***@127.0.0.1:${port}/***): connection refused: is the server running and accepting TCP connections? (connect ECONNREFUSED 127.0.0.1:${port})`,
      );
    } finally {
      off.remove();
    }
    const dup = await ws.run(ws.pipeline('dup', [{ id: 'twice', kind: 'postgres_source', config: { connection: 'mart', query: ['select 1 as a, 2 as a'] } }]));
    expect(dup.error?.message).toBe('node "twice": reading query on connection "mart": the query returns two columns named "a": give them distinct names');
  });

  it('cancel while the rows stream in drops the session, so the server stops sending', async () => {
    await server.query(`CREATE TABLE lims.big AS SELECT i, md5(i::text) AS h FROM generate_series(1, 2000000) AS i`);
    const file = ws.pipeline('read_big', [{ id: 'big', kind: 'postgres_source', config: { connection: 'mart', schema: 'lims', table: 'big' } }]);
    const ac = new AbortController();
    const watcher = await server.client();
    // Abort once the COPY is running on the server.
    const poll = (async () => {
      for (let i = 0; i < 2000 && !ac.signal.aborted; i++) {
        const r = await watcher.query(`SELECT 1 FROM pg_stat_activity WHERE usename = current_user AND application_name LIKE 'weir % source big' AND query LIKE 'COPY%'`);
        if (r.rowCount) ac.abort();
        else await new Promise((res) => setTimeout(res, 5));
      }
    })();
    const out = await ws.run(file, { signal: ac.signal });
    await poll;
    expect(ac.signal.aborted).toBe(true);
    expect(out.status).toBe('cancelled');
    let left = 1;
    for (let i = 0; i < 200 && left; i++) {
      // This file's role only: other files' runs share the integration tier's cluster.
      left = (await watcher.query(`SELECT 1 FROM pg_stat_activity WHERE usename = current_user AND application_name LIKE 'weir%'`)).rowCount ?? 0;
      if (left) await new Promise((res) => setTimeout(res, 25));
    }
    await watcher.end();
    expect(left).toBe(0);
  });
});
