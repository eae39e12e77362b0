import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBBlobVector, DuckDBConnection } from '@duckdb/node-api';
import { testConnection } from '../../support/duckdb';
import { copyLineSelect } from '../../../src-main/engine/postgres/duckdb-to-pg';
import { sinkColumns } from '../../../src-main/engine/postgres/relation-columns';

describe('DuckDB → PostgreSQL types and COPY text', () => {
  let conn: DuckDBConnection;
  beforeAll(async () => {
    conn = await testConnection();
  });
  afterAll(() => conn.closeSync());

  /** The COPY text lines DuckDB renders for a relation. */
  async function lines(relation: string): Promise<string[]> {
    const cols = await sinkColumns(conn, relation);
    const result = await conn.run(copyLineSelect(relation, cols));
    const out: string[] = [];
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return out;
      const v = chunk.getColumnVector(0) as DuckDBBlobVector;
      for (let i = 0; i < chunk.rowCount; i++) out.push(Buffer.from(v.getItemBytes(i)!).toString('utf8'));
    }
  }

  it('maps every type family', async () => {
    await conn.run(`CREATE OR REPLACE TEMP TABLE all_types AS SELECT
      1::TINYINT a_tinyint, 1::UTINYINT a_utinyint, 1::SMALLINT a_smallint, 1::USMALLINT a_usmallint, 1::INTEGER a_int, 1::UINTEGER a_uint,
      1::BIGINT a_bigint, 1::UBIGINT a_ubigint, 1::HUGEINT a_hugeint, 1::UHUGEINT a_uhugeint, 1.5::FLOAT a_float, 1.5::DOUBLE a_double,
      1.5::DECIMAL(18,3) a_decimal, 1.5::DECIMAL(38,10) a_decimal38, DATE '2024-01-01' a_date, TIME '10:00' a_time, '10:00:00+01'::TIMETZ a_timetz,
      TIMESTAMP '2024-01-01' a_ts, TIMESTAMP_S '2024-01-01' a_ts_s, TIMESTAMP_MS '2024-01-01' a_ts_ms, TIMESTAMP_NS '2024-01-01' a_ts_ns,
      TIMESTAMPTZ '2024-01-01 00:00:00+00' a_tstz, INTERVAL 1 DAY a_interval, gen_random_uuid() a_uuid, 'x'::BLOB a_blob, '0101'::BIT a_bit,
      [1, 2] a_list, [1, 2]::INTEGER[2] a_array, {'k': 1} a_struct, MAP {'k': 1} a_map, union_value(n := 1) a_union,
      'x' a_varchar, '{}'::JSON a_json, 'a'::ENUM('a', 'b') a_enum, TRUE a_bool`);
    const cols = await sinkColumns(conn, 'all_types');
    expect(Object.fromEntries(cols.map((c) => [c.name, c.pgType]))).toEqual({
      a_tinyint: 'smallint',
      a_utinyint: 'smallint',
      a_smallint: 'smallint',
      a_usmallint: 'integer',
      a_int: 'integer',
      a_uint: 'bigint',
      a_bigint: 'bigint',
      a_ubigint: 'numeric(20,0)',
      a_hugeint: 'numeric(39,0)',
      a_uhugeint: 'numeric(39,0)',
      a_float: 'real',
      a_double: 'double precision',
      a_decimal: 'numeric(18,3)',
      a_decimal38: 'numeric(38,10)',
      a_date: 'date',
      a_time: 'time',
      a_timetz: 'timetz',
      a_ts: 'timestamp',
      a_ts_s: 'timestamp',
      a_ts_ms: 'timestamp',
      a_ts_ns: 'timestamp',
      a_tstz: 'timestamptz',
      a_interval: 'interval',
      a_uuid: 'uuid',
      a_blob: 'bytea',
      a_bit: 'varbit',
      a_list: 'jsonb',
      a_array: 'jsonb',
      a_struct: 'jsonb',
      a_map: 'jsonb',
      a_union: 'jsonb',
      a_varchar: 'text',
      a_json: 'jsonb',
      a_enum: 'text',
      a_bool: 'boolean',
    });
  });

  // The JSON escape in {"s":"x\"y"} is a backslash like any other: COPY doubles it.
  it('renders COPY text: tabs between values, \\N for NULL, escapes, hex bytea, UTC timestamps, JSON for nested values', async () => {
    await conn.run(`CREATE OR REPLACE TEMP TABLE copy_rows AS SELECT * FROM (VALUES
      (1, 'a' || chr(9) || 'b' || chr(10) || 'c' || chr(13) || 'd\\e', '\\x00\\x41'::BLOB, TIMESTAMPTZ '2024-03-01 10:00:00.5+02', [1, NULL], {'s': 'x"y'}, 'naïve 細胞'),
      (2, NULL, NULL, NULL, NULL, NULL, '\\N'),
      (3, '', ''::BLOB, 'infinity'::TIMESTAMPTZ, [], {'s': NULL}, '')
    ) AS t(id, txt, bin, ts, list, st, uni) ORDER BY id`);
    expect(await lines('copy_rows')).toEqual([
      '1\ta\\tb\\nc\\rd\\\\e\t\\\\x0041\t2024-03-01 08:00:00.5+00\t[1,null]\t{"s":"x\\\\"y"}\tnaïve 細胞\n',
      '2\t\\N\t\\N\t\\N\t\\N\t\\N\t\\\\N\n',
      '3\t\t\\\\x\tinfinity\t[]\t{"s":null}\t\n',
    ]);
  });

  // The rendering reads the instant's microseconds (no zone lookup): it must print exactly what
  // converting to UTC prints, whatever the session's zone, for LMT-era, BC and far-future instants.
  it('renders zoned timestamps as their UTC wall time, like timezone(UTC, ...), under any session zone', async () => {
    const c = await testConnection();
    try {
      await c.run(`SET TimeZone = 'Asia/Kolkata'`);
      await c.run(`CREATE OR REPLACE TEMP TABLE instants AS
        SELECT TIMESTAMPTZ '1800-01-01 00:00:00+00' + to_microseconds(i * 1_000_003 * 7_919_113) AS ts FROM range(200000) t(i)
        UNION ALL SELECT * FROM (VALUES (TIMESTAMPTZ '0001-01-01 00:00:00+00'), ('1500-06-01 01:02:03.000001+00'), ('1969-12-31 23:59:59.999999+00'),
          ('9999-12-31 23:59:59.999999+00'), ('200000-01-01 00:00:00+00'), ('-4000-01-01 00:00:00'::TIMESTAMP::TIMESTAMPTZ))`);
      const cols = await sinkColumns(c, 'instants');
      const reader = await c.runAndReadAll(
        `SELECT count(*) AS n, count(*) FILTER (WHERE line IS DISTINCT FROM encode(CAST(timezone('UTC', ts) AS VARCHAR) || '+00' || chr(10))) AS differ
           FROM (SELECT ts, line FROM instants, LATERAL (${copyLineSelect('instants', cols).replace('FROM "instants"', '')}))`,
      );
      expect(reader.getRowObjects()[0]).toEqual({ n: 200006n, differ: 0n });
      await c.run(`CREATE OR REPLACE TEMP TABLE historic AS SELECT TIMESTAMPTZ '1500-06-01 01:02:03.000001+00' AS ts`);
      const rendered = await c.runAndReadAll(copyLineSelect('historic', await sinkColumns(c, 'historic')));
      expect(Buffer.from((rendered.getColumns()[0]![0] as { bytes: Uint8Array }).bytes).toString('utf8')).toBe('1500-06-01 01:02:03.000001+00\n');
    } finally {
      c.closeSync();
    }
  });

  it('refuses a column name PostgreSQL would cut to 63 bytes', async () => {
    await conn.run(`CREATE OR REPLACE TEMP TABLE long_names AS SELECT 1 AS "${'é'.repeat(32)}"`);
    await expect(sinkColumns(conn, 'long_names')).rejects.toThrow(/is longer than PostgreSQL's 63 bytes: rename it in an upstream SQL node/);
  });
});
