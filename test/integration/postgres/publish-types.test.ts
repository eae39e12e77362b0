import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../support/duckdb';
import { postgresDatabase } from '../../support/postgres-database';
import type { PostgresServer } from '../../support/postgres-server';
import { martWorkspace, sinkNode, sqlNode, type TestWorkspace } from './workspace';

/**
 * Every DuckDB type family a mart meets, with NULLs, unicode, text that needs COPY escaping,
 * decimals and zoned timestamps. Row 2 is all NULL; row 3 holds edge values.
 */
const FIXTURE = [
  'select * from (values',
  "  (1, 'Zürich – 細胞 🧬 naïve', 12.3450::decimal(12,4), 1234567890123456789012.1234567891::decimal(38,10),",
  "   timestamptz '2024-03-01 10:00:00.123456+02', timestamp '2024-03-01 10:00:00.5', date '2024-03-01', true,",
  "   0.1::double, 1.5::float, ['a', 'b'], {'site': 'BOS', 'n': 3}, map {'x': 1}, '\\x00\\xFF\\x10'::blob,",
  "   '2b6e7c1c-0f7e-4c1a-9d43-5f2e1c9a0b11'::uuid, interval '1 year 2 months 3 days 04:00:05.5',",
  "   170141183460469231731687303715884105727::hugeint, '{\"k\": [1, null, \"ü\"]}'::json,",
  "   'tab' || chr(9) || 'nl' || chr(10) || 'cr' || chr(13) || 'bs\\ q\"' || '''s', 42::tinyint, 4000000000::uinteger),",
  '  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),',
  "  (3, '', -0.0001::decimal(12,4), 0::decimal(38,10), timestamptz '1850-06-01 00:00:00+00', timestamp '1970-01-01 00:00:00',",
  "   date '2099-12-31', false, 'inf'::double, '-inf'::float, [], {'site': NULL, 'n': NULL}, map {}, ''::blob,",
  "   '00000000-0000-0000-0000-000000000000'::uuid, -interval '5 days', -1::hugeint, 'null'::json, '\\N', (-128)::tinyint, 0::uinteger)",
  ') as t(id, label, amount, big_amount, measured_at, local_ts, day, ok, ratio, ratio32, tags, attrs, counts, payload,',
  '       uid, dur, huge, doc, note, tiny, unsigned_int)',
];

/** The same canonical text for each column, computed by DuckDB and by PostgreSQL. */
const CANON: { col: string; duck: string; pg: string; json?: boolean }[] = [
  { col: 'id', duck: 'id::varchar', pg: 'id::text' },
  { col: 'label', duck: 'label', pg: 'label' },
  { col: 'amount', duck: 'amount::varchar', pg: 'amount::text' },
  { col: 'big_amount', duck: 'big_amount::varchar', pg: 'big_amount::text' },
  {
    col: 'measured_at',
    duck: "strftime(timezone('UTC', measured_at), '%Y-%m-%d %H:%M:%S.%f')",
    pg: "to_char(measured_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')",
  },
  { col: 'local_ts', duck: "strftime(local_ts, '%Y-%m-%d %H:%M:%S.%f')", pg: "to_char(local_ts, 'YYYY-MM-DD HH24:MI:SS.US')" },
  { col: 'day', duck: 'day::varchar', pg: 'day::text' },
  { col: 'ok', duck: 'ok::varchar', pg: 'ok::text' },
  { col: 'ratio', duck: 'ratio::varchar', pg: "replace(replace(ratio::text, 'Infinity', 'inf'), 'NaN', 'nan')" },
  { col: 'ratio32', duck: 'ratio32::varchar', pg: "replace(replace(ratio32::text, 'Infinity', 'inf'), 'NaN', 'nan')" },
  { col: 'tags', duck: 'to_json(tags)::varchar', pg: 'tags::text', json: true },
  { col: 'attrs', duck: 'to_json(attrs)::varchar', pg: 'attrs::text', json: true },
  { col: 'counts', duck: 'to_json(counts)::varchar', pg: 'counts::text', json: true },
  { col: 'payload', duck: 'hex(payload)', pg: "upper(encode(payload, 'hex'))" },
  { col: 'uid', duck: 'uid::varchar', pg: 'uid::text' },
  { col: 'dur', duck: "replace(dur::varchar, 'month', 'mon')", pg: 'dur::text' },
  { col: 'huge', duck: 'huge::varchar', pg: 'huge::text' },
  { col: 'doc', duck: 'doc::varchar', pg: 'doc::text', json: true },
  { col: 'note', duck: 'note', pg: 'note' },
  { col: 'tiny', duck: 'tiny::varchar', pg: 'tiny::text' },
  { col: 'unsigned_int', duck: 'unsigned_int::varchar', pg: 'unsigned_int::text' },
];

/**
 * What survives the trip back into DuckDB exactly: numeric(39,0) (from HUGEINT) comes back
 * as DOUBLE, as DuckDB decimals stop at 38 digits.
 */
const READ_BACK = CANON.filter((c) => c.col !== 'huge');

type Row = Record<string, unknown>;

function normalise(rows: Row[]): Row[] {
  return rows.map((r) =>
    Object.fromEntries(CANON.map((c) => [c.col, c.json && typeof r[c.col] === 'string' ? JSON.parse(r[c.col] as string) : r[c.col]])),
  );
}

async function duckdbRows(): Promise<Row[]> {
  const conn = await testConnection();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    const sql = `SELECT ${CANON.map((c) => `${c.duck} AS "${c.col}"`).join(', ')} FROM (${FIXTURE.join('\n')}) ORDER BY id`;
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Row[];
  } finally {
    conn.closeSync();
  }
}

describe('postgres_sink publishes every type intact', () => {
  let server: PostgresServer;
  let ws: TestWorkspace;
  let recordDir: string;

  beforeAll(async () => {
    server = await postgresDatabase();
    ws = martWorkspace(server);
    recordDir = mkdtempSync(join(tmpdir(), 'weir-pg-records-'));
  });
  afterAll(async () => {
    ws?.remove();
    if (recordDir) rmSync(recordDir, { recursive: true, force: true });
    await server?.teardown();
  });

  it('publishes to a new schema; the rows read back with pg equal the DuckDB result', async () => {
    const file = ws.pipeline('types_mart', [
      sqlNode('fixture', FIXTURE),
      {
        ...sinkNode('publish', 'fixture', {
          schema: 'qc_mart',
          table: 'typed_rows',
          mode: 'replace',
          key: ['id'],
          column_comments: { amount: 'Amount, 4 decimals', measured_at: 'When the probe sampled (UTC)' },
        }),
        description: 'Every type a mart meets',
      },
    ]);
    const out = await ws.run(file, { recordDir });
    expect(out.error?.message ?? null).toBeNull();
    expect(out.status).toBe('succeeded');
    const rec = out.record.nodes.find((n) => n.id === 'publish')!;
    expect(rec.rows).toBe(3);
    // The database name came from ${env:MART_DB}: masked; the host and port stay.
    expect(rec.outputs?.[0]?.uri).toBe(`postgresql://${server.host}:${server.port}/***/qc_mart.typed_rows`);
    expect(rec.outputHash).toMatch(/^[0-9a-f]{64}$/);

    const actual = await server.query(`SELECT ${CANON.map((c) => `${c.pg} AS "${c.col}"`).join(', ')} FROM qc_mart.typed_rows ORDER BY id`);
    const expected = await duckdbRows();
    expect(normalise(actual)).toEqual(normalise(expected));

    // NULLs arrive as NULL, never as empty strings or 'null' text.
    const [nulls] = await server.query<{ n: string }>(
      `SELECT count(*) AS n FROM qc_mart.typed_rows WHERE id = 2 AND num_nonnulls(${CANON.slice(1).map((c) => c.col).join(', ')}) = 0`,
    );
    expect(nulls!.n).toBe('1');
    // Empty text is not NULL; the text \N is not NULL; JSON null is not SQL NULL.
    const [edge] = await server.query(`SELECT label, note, payload, doc IS NULL AS doc_is_null, jsonb_typeof(doc) AS doc_type FROM qc_mart.typed_rows WHERE id = 3`);
    expect(edge).toEqual({ label: '', note: '\\N', payload: Buffer.alloc(0), doc_is_null: false, doc_type: 'null' });
  });

  it('maps DuckDB types to PostgreSQL types and writes comments and the key', async () => {
    const cols = await server.query<{ column_name: string; type: string; comment: string | null }>(
      `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type, col_description(a.attrelid, a.attnum) AS comment
         FROM pg_attribute a WHERE a.attrelid = 'qc_mart.typed_rows'::regclass AND a.attnum > 0 ORDER BY a.attnum`,
    );
    expect(Object.fromEntries(cols.map((c) => [c.column_name, c.type]))).toEqual({
      id: 'integer',
      label: 'text',
      amount: 'numeric(12,4)',
      big_amount: 'numeric(38,10)',
      measured_at: 'timestamp with time zone',
      local_ts: 'timestamp without time zone',
      day: 'date',
      ok: 'boolean',
      ratio: 'double precision',
      ratio32: 'real',
      tags: 'jsonb',
      attrs: 'jsonb',
      counts: 'jsonb',
      payload: 'bytea',
      uid: 'uuid',
      dur: 'interval',
      huge: 'numeric(39,0)',
      doc: 'jsonb',
      note: 'text',
      tiny: 'smallint',
      unsigned_int: 'bigint',
    });
    expect(cols.find((c) => c.column_name === 'amount')?.comment).toBe('Amount, 4 decimals');
    const [t] = await server.query<{ comment: string; pk: string; cols: string }>(
      `SELECT obj_description('qc_mart.typed_rows'::regclass, 'pg_class') AS comment,
              c.conname AS pk, pg_get_constraintdef(c.oid) AS cols
         FROM pg_constraint c WHERE c.conrelid = 'qc_mart.typed_rows'::regclass AND c.contype = 'p'`,
    );
    expect(t).toEqual({ comment: 'Every type a mart meets', pk: 'typed_rows_pkey', cols: 'PRIMARY KEY (id)' });
    // No staging table is left behind.
    const leftovers = await server.query(`SELECT relname FROM pg_class WHERE relname LIKE '%weir_stage%'`);
    expect(leftovers).toEqual([]);
  });

  it('never writes the password into the run record', () => {
    const files = readdirSync(recordDir, { recursive: true }).map(String).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(join(recordDir, f), 'utf8')).not.toContain(server.password);
  });

  it('reads the mart back with postgres_source into the same DuckDB values', async () => {
    const file = ws.pipeline('read_back', [
      { id: 'mart_rows', kind: 'postgres_source', config: { connection: 'mart', schema: 'qc_mart', table: 'typed_rows' } },
      // DuckDB's JSON for what PostgreSQL holds as jsonb; everything else compares as is.
      sqlNode(
        'canon',
        [`SELECT ${READ_BACK.map((c) => `${c.json ? `${c.col}::varchar` : c.duck} AS "${c.col}"`).join(', ')} FROM mart_rows`],
        ['mart_rows'],
      ),
      { id: 'out', kind: 'file_sink', inputs: ['canon'], config: { path: 'out/read_back.parquet', format: 'parquet', order_by: ['id'] } },
    ]);
    const out = await ws.run(file);
    expect(out.error?.message ?? null).toBeNull();
    const conn = await testConnection();
    try {
      const got = (await conn.runAndReadAll(`SELECT * FROM read_parquet('${join(ws.root, 'out', 'read_back.parquet')}') ORDER BY id::int`)).getRowObjectsJS() as Row[];
      const pick = (rows: Row[]) => normalise(rows).map((r) => Object.fromEntries(READ_BACK.map((c) => [c.col, r[c.col]])));
      expect(pick(got)).toEqual(pick(await duckdbRows()));
    } finally {
      conn.closeSync();
    }
  });
});
