import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lowCodeSql, type LowCodeKind } from '../../../../shared/nodes/lowcode';
import { testConnection } from '../../../support/duckdb';

/**
 * The SQL of the step kinds of issue #20 (sort, sample, compute column, cast / rename, pivot,
 * unpivot, window, time bucket, fill missing, wide to long), run as generated in a real DuckDB
 * over small bioreactor readings whose expected results were worked out by hand.
 */
let conn: DuckDBConnection;

// B1: 10:00 pH 7.0 DO 40 | 10:05 pH NULL DO 41 | 10:20 pH 7.2 DO NULL
// B2: 10:00 pH 6.8 DO 50 | 10:10 pH NULL DO NULL | 10:16 pH 7.1 DO 52
const READINGS = `SELECT * FROM (VALUES
  ('B1', TIMESTAMP '2026-01-05 10:00:00', 7.0::DOUBLE, 40, 'a'),
  ('B1', TIMESTAMP '2026-01-05 10:05:00', NULL, 41, 'b'),
  ('B1', TIMESTAMP '2026-01-05 10:20:00', 7.2, NULL, 'c'),
  ('B2', TIMESTAMP '2026-01-05 10:00:00', 6.8, 50, 'd'),
  ('B2', TIMESTAMP '2026-01-05 10:10:00', NULL, NULL, 'e'),
  ('B2', TIMESTAMP '2026-01-05 10:16:00', 7.1, 52, 'f')
) v(batch_id, t, ph, "DO %", note)`;

beforeAll(async () => {
  conn = await testConnection();
  await conn.run(`ATTACH ':memory:' AS steps_sql; USE steps_sql`);
  await conn.run(`CREATE TABLE readings AS ${READINGS}`);
  // The same rows in the opposite order: what a step picks must not depend on the order it reads.
  await conn.run(`CREATE TABLE reversed AS SELECT * FROM readings ORDER BY note DESC`);
  await conn.run(`CREATE TABLE assays AS SELECT * FROM (VALUES
    ('B1', 'ph', 7.0), ('B1', 'do', 40.0), ('B1', 'ph', 7.4), ('B2', 'ph', 6.8), ('B2', 'viability', 90.0)
  ) v(batch_id, assay, value)`);
  await conn.run(`CREATE TABLE plate AS SELECT * FROM (VALUES
    ('P1', 1.5::DOUBLE, '<0.5', 3, 'ok'), ('P2', NULL, '2.25', 4, 'rerun')
  ) v(plate, "A1", "A2", "B1", note)`);
  await conn.run('CREATE TABLE many AS SELECT range AS i FROM range(20000)');
});
afterAll(async () => {
  await conn.run('USE memory; DETACH steps_sql');
  conn.closeSync();
});

function sqlOf(kind: LowCodeKind, config: unknown, input = 'readings'): string {
  const r = lowCodeSql(kind, config, [input]);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.sql.join('\n');
}

/** The rows as plain values, in the order the step gives them (or ordered, where it gives none). */
async function rows(kind: LowCodeKind, config: unknown, input = 'readings', orderBy?: string): Promise<unknown[][]> {
  const sql = sqlOf(kind, config, input);
  const reader = await conn.runAndReadAll(orderBy ? `SELECT * FROM (\n${sql}\n) ORDER BY ${orderBy}` : sql);
  return reader.getRowsJS().map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v)));
}

async function columns(kind: LowCodeKind, config: unknown, input = 'readings'): Promise<string[]> {
  return (await conn.runAndReadAll(sqlOf(kind, config, input))).columnNames();
}

const notes = (r: unknown[][], at = 4) => r.map((x) => x[at]);

describe('sort', () => {
  it('orders by columns, NULLs where asked, every column when none is given', async () => {
    expect(sqlOf('sort', { by: [{ column: 'ph', direction: 'desc' }, { column: 'note' }] })).toBe(
      'SELECT *\nFROM readings\nORDER BY "ph" DESC NULLS LAST, "note" ASC NULLS LAST',
    );
    expect(notes(await rows('sort', { by: [{ column: 'ph', direction: 'desc' }, { column: 'note' }] }))).toEqual(['c', 'f', 'a', 'd', 'b', 'e']);
    expect(notes(await rows('sort', { by: [{ column: 'ph', nulls: 'first' }, { column: 'note', direction: 'desc' }] }))).toEqual(['e', 'b', 'd', 'a', 'f', 'c']);
    expect(notes(await rows('sort', {}, 'reversed'))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(lowCodeSql('sort', { by: [{ column: 'ph' }, { column: 'PH' }] }, ['readings'])).toMatchObject({ ok: false, issues: [{ path: ['by', 1] }] });
  });
});

describe('sample', () => {
  it('first N rows in an order', async () => {
    expect(notes(await rows('sample', { mode: 'first', rows: 2, order_by: [{ column: 'ph', direction: 'desc' }] }))).toEqual(['c', 'f']);
    expect(notes(await rows('sample', { rows: 2 }, 'reversed'))).toEqual(['a', 'b']);
  });

  it('a random sample of N rows is the same for the same seed, whatever order the input is in', async () => {
    const a = notes(await rows('sample', { mode: 'random_rows', rows: 3, seed: 7 }), 4);
    const b = notes(await rows('sample', { mode: 'random_rows', rows: 3, seed: 7 }, 'reversed'), 4);
    expect(a).toHaveLength(3);
    expect(b).toEqual(a);
    // Another seed picks by other hashes: over 20,000 rows, another 100.
    const s1 = (await rows('sample', { mode: 'random_rows', rows: 100, seed: 1 }, 'many')).map((r) => r[0]);
    const s2 = (await rows('sample', { mode: 'random_rows', rows: 100, seed: 2 }, 'many')).map((r) => r[0]);
    expect(new Set(s1).size).toBe(100);
    expect(s1).not.toEqual(s2);
  });

  it('a random percent keeps about that share, the same rows each time', async () => {
    const sql = sqlOf('sample', { mode: 'random_percent', percent: 10 }, 'many');
    expect(sql).toContain('WHERE hash(many, 42) % 1000000 < 100000');
    const once = (await rows('sample', { mode: 'random_percent', percent: 10 }, 'many', 'i')).map((r) => r[0]);
    const again = (await rows('sample', { mode: 'random_percent', percent: 10 }, 'many', 'i')).map((r) => r[0]);
    expect(once.length).toBeGreaterThan(1800);
    expect(once.length).toBeLessThan(2200);
    expect(again).toEqual(once);
  });

  it('asks for what a mode needs and refuses what it does not use', () => {
    expect(lowCodeSql('sample', { mode: 'random_percent' }, ['r'])).toMatchObject({ ok: false, issues: [{ path: ['percent'], message: 'expected percent with mode "random_percent"' }] });
    expect(lowCodeSql('sample', { mode: 'first', rows: 5, seed: 3 }, ['r'])).toMatchObject({ ok: false, issues: [{ path: ['seed'] }] });
    expect(lowCodeSql('sample', { mode: 'random_percent', percent: 120 }, ['r']).ok).toBe(false);
  });
});

describe('compute column', () => {
  it('adds a column computed by an expression, or replaces one in place', async () => {
    expect(sqlOf('compute_column', { name: 'h_ion', expression: 'power(10, -ph)' })).toBe('SELECT *, (power(10, -ph)) AS "h_ion"\nFROM readings');
    const added = await rows('compute_column', { name: 'do_frac', expression: '"DO %" / 100 -- a fraction\n' }, 'readings', 'note');
    expect(added.map((r) => r[5])).toEqual([0.4, 0.41, null, 0.5, null, 0.52]);
    expect(await columns('compute_column', { name: 'ph', expression: 'coalesce(ph, 7)', replace: true })).toEqual(['batch_id', 't', 'ph', 'DO %', 'note']);
    expect((await rows('compute_column', { name: 'ph', expression: 'coalesce(ph, 7)', replace: true }, 'readings', 'note')).map((r) => r[2])).toEqual([7, 7, 7.2, 6.8, 7, 7.1]);
  });

  it('a comma in the expression makes one value, not a second column', async () => {
    expect(await columns('compute_column', { name: 'pair', expression: 'ph, note' })).toEqual(['batch_id', 't', 'ph', 'DO %', 'note', 'pair']);
  });
});

describe('cast / rename columns', () => {
  it('converts and renames in place, keeping the other columns', async () => {
    const cfg = { columns: [{ name: 'DO %', type: 'DOUBLE', rename: 'do_pct' }, { name: 'note', rename: 'label' }, { name: 'ph', type: 'VARCHAR' }] };
    expect(sqlOf('cast_columns', cfg)).toBe(
      [
        'SELECT * RENAME (',
        '  "DO %" AS "do_pct",',
        '  "note" AS "label"',
        ')',
        'FROM (',
        '  SELECT * REPLACE (',
        '    CAST("DO %" AS DOUBLE) AS "DO %",',
        '    CAST("ph" AS VARCHAR) AS "ph"',
        '  )',
        '  FROM readings',
        ')',
      ].join('\n'),
    );
    const reader = await conn.runAndReadAll(`SELECT * FROM (${sqlOf('cast_columns', cfg)}) ORDER BY label`);
    expect(reader.columnNames()).toEqual(['batch_id', 't', 'ph', 'do_pct', 'label']);
    expect(reader.columnTypes().map(String)).toEqual(['VARCHAR', 'TIMESTAMP', 'VARCHAR', 'DOUBLE', 'VARCHAR']);
    expect(reader.getRowsJS()[0]).toEqual(['B1', expect.anything(), '7.0', 40, 'a']);
  });

  it('TRY_CAST turns what does not convert into NULL; CAST fails the query', async () => {
    expect((await rows('cast_columns', { columns: [{ name: 'A2', type: 'DOUBLE', try_cast: true }] }, 'plate', 'plate')).map((r) => r[2])).toEqual([null, 2.25]);
    await expect(rows('cast_columns', { columns: [{ name: 'A2', type: 'DOUBLE' }] }, 'plate')).rejects.toThrow(/<0.5/);
  });

  it('refuses a type that is not a type, and an entry that changes nothing', () => {
    expect(lowCodeSql('cast_columns', { columns: [{ name: 'a', type: 'DOUBLE) AS a FROM x; DROP TABLE x; --' }] }, ['r'])).toMatchObject({ ok: false, issues: [{ path: ['columns', 0, 'type'] }] });
    expect(lowCodeSql('cast_columns', { columns: [{ name: 'a' }] }, ['r'])).toMatchObject({ ok: false, issues: [{ path: ['columns', 0, 'type'] }] });
  });
});

describe('pivot and unpivot', () => {
  it('pivot turns listed values into columns; other values are left out', async () => {
    const cfg = { group_by: ['batch_id'], column: 'assay', values: ['ph', 'do'], fn: 'avg', value_column: 'value' };
    expect(sqlOf('pivot', cfg, 'assays')).toBe(
      ['SELECT *', 'FROM assays', 'PIVOT (', '  avg("value")', '  FOR "assay" IN (\'ph\', \'do\')', '  GROUP BY "batch_id"', ')', 'ORDER BY "batch_id"'].join('\n'),
    );
    expect(await columns('pivot', cfg, 'assays')).toEqual(['batch_id', 'ph', 'do']);
    expect(await rows('pivot', cfg, 'assays')).toEqual([
      ['B1', 7.2, 40],
      ['B2', 6.8, null],
    ]);
    expect(await rows('pivot', { group_by: ['batch_id'], column: 'assay', values: ['ph', 'viability'], fn: 'count' }, 'assays')).toEqual([
      ['B1', 2, 0],
      ['B2', 1, 1],
    ]);
  });

  it('unpivot turns columns into name/value rows, with or without NULLs', async () => {
    const cfg = { columns: ['ph', 'DO %'], name_column: 'measure', value_column: 'reading' };
    expect(await columns('unpivot', cfg)).toEqual(['batch_id', 't', 'note', 'measure', 'reading']);
    const long = await rows('unpivot', cfg, 'readings', 'note, measure');
    expect(long.map((r) => [r[2], r[3], r[4]])).toEqual([
      ['a', 'DO %', 40],
      ['a', 'ph', 7],
      ['b', 'DO %', 41],
      ['c', 'ph', 7.2],
      ['d', 'DO %', 50],
      ['d', 'ph', 6.8],
      ['f', 'DO %', 52],
      ['f', 'ph', 7.1],
    ]);
    expect(await rows('unpivot', { ...cfg, include_nulls: true })).toHaveLength(12);
    expect(lowCodeSql('unpivot', { columns: ['a'], name_column: 'v', value_column: 'V' }, ['r']).ok).toBe(false);
  });
});

describe('window', () => {
  it('running and rolling aggregates, lag and ranks per group in an order', async () => {
    const cfg = {
      partition_by: ['batch_id'],
      order_by: [{ column: 't' }],
      functions: [
        { fn: 'sum', column: 'DO %', as: 'do_running' },
        { fn: 'avg', column: 'ph', frame: 'rolling', rows: 2, as: 'ph_rolling' },
        { fn: 'lag', column: 'ph', as: 'ph_before' },
        { fn: 'row_number', as: 'n' },
        { fn: 'count', frame: 'partition', as: 'readings' },
      ],
    };
    const sql = sqlOf('window', cfg);
    expect(sql).toContain('sum("DO %") OVER (PARTITION BY "batch_id" ORDER BY "t" ASC NULLS LAST, readings ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "do_running"');
    expect(sql).toContain('avg("ph") OVER (PARTITION BY "batch_id" ORDER BY "t" ASC NULLS LAST, readings ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS "ph_rolling"');
    expect(sql.endsWith('ORDER BY "batch_id", "t" ASC NULLS LAST')).toBe(true);
    const out = await rows('window', cfg, 'reversed');
    expect(out.map((r) => [r[4], ...r.slice(5)])).toEqual([
      ['a', 40, 7.0, null, 1, 3],
      ['b', 81, 7.0, 7.0, 2, 3],
      ['c', 81, 7.2, null, 3, 3],
      ['d', 50, 6.8, null, 1, 3],
      ['e', 50, 6.8, 6.8, 2, 3],
      ['f', 102, 7.1, null, 3, 3],
    ]);
  });

  it('rank keeps ties; lead looks ahead by an offset', async () => {
    const out = await rows(
      'window',
      { order_by: [{ column: 'batch_id' }], functions: [{ fn: 'rank', as: 'r' }, { fn: 'dense_rank', as: 'd' }, { fn: 'lead', column: 'note', offset: 3, as: 'later' }] },
      'readings',
      'note',
    );
    expect(out.map((r) => r.slice(5))).toEqual([
      [1, 1, 'd'],
      [1, 1, 'e'],
      [1, 1, 'f'],
      [4, 2, null],
      [4, 2, null],
      [4, 2, null],
    ]);
  });

  it('asks for a column, a rolling frame\'s size, and refuses what a function does not use', () => {
    const bad = (f: Record<string, unknown>) => lowCodeSql('window', { functions: [{ as: 'x', ...f }] }, ['r']);
    expect(bad({ fn: 'sum' })).toMatchObject({ ok: false, issues: [{ path: ['functions', 0, 'column'] }] });
    expect(bad({ fn: 'avg', column: 'a', frame: 'rolling' })).toMatchObject({ ok: false, issues: [{ path: ['functions', 0, 'rows'] }] });
    expect(bad({ fn: 'rank', column: 'a' })).toMatchObject({ ok: false, issues: [{ path: ['functions', 0, 'column'] }] });
  });
});

describe('time bucket', () => {
  it('downsamples readings per batch into 15-minute buckets', async () => {
    const cfg = {
      time_column: 't',
      interval: '15 minutes',
      group_by: ['batch_id'],
      aggregates: [{ fn: 'avg', column: 'ph', as: 'ph' }, { fn: 'count', as: 'n' }, { fn: 'last', column: 'note', order_by: 't' }],
    };
    expect(sqlOf('time_bucket', cfg)).toBe(
      [
        'SELECT',
        '  "batch_id",',
        '  time_bucket(INTERVAL \'15 minutes\', "t") AS "bucket",',
        '  avg("ph") AS "ph",',
        '  count(*) AS "n",',
        '  last("note" ORDER BY "t") AS "last_note"',
        'FROM readings',
        'GROUP BY "batch_id", time_bucket(INTERVAL \'15 minutes\', "t")',
        'ORDER BY "batch_id", time_bucket(INTERVAL \'15 minutes\', "t")',
      ].join('\n'),
    );
    expect(await rows('time_bucket', cfg, 'reversed')).toEqual([
      ['B1', '2026-01-05T10:00:00.000Z', 7.0, 2, 'b'],
      ['B1', '2026-01-05T10:15:00.000Z', 7.2, 1, 'c'],
      ['B2', '2026-01-05T10:00:00.000Z', 6.8, 2, 'e'],
      ['B2', '2026-01-05T10:15:00.000Z', 7.1, 1, 'f'],
    ]);
  });

  it('buckets of a day over TIMESTAMPTZ are UTC days, or the given zone\'s, whatever the session\'s zone', async () => {
    await conn.run(`CREATE TABLE probes AS SELECT TIMESTAMPTZ '2026-01-05 03:00:00+00' AS t, 1 AS v`);
    await conn.run(`SET TimeZone = 'America/New_York'`);
    try {
      const day = (zone?: string) => sqlOf('time_bucket', { time_column: 't', interval: '1 day', aggregates: [{ fn: 'count' }], ...(zone ? { time_zone: zone } : {}) }, 'probes');
      const start = async (sql: string) => (await conn.runAndReadAll(`SELECT bucket::VARCHAR FROM (${sql})`)).getRowsJS()[0]![0];
      expect(day('America/New_York')).toContain(`time_bucket(INTERVAL '1 day', "t", 'America/New_York') AS "bucket"`);
      expect(await start(day('America/New_York'))).toBe('2026-01-04 00:00:00-05'); // that zone's day: 03:00 UTC is 22:00 the day before
      expect(await start(day())).toBe('2026-01-04 19:00:00-05'); // without a zone, UTC's day, whatever the session's zone
      expect(await start(day('UTC'))).toBe('2026-01-04 19:00:00-05');
    } finally {
      await conn.run(`SET TimeZone = 'UTC'`);
    }
    expect(lowCodeSql('time_bucket', { time_column: 't', interval: '1 day', aggregates: [{ fn: 'count' }], time_zone: "UTC'); DROP TABLE r; --" }, ['r'])).toMatchObject({
      ok: false,
      issues: [{ path: ['time_zone'] }],
    });
  });

  it('takes a count and a unit only, and names every output column once', () => {
    const base = { time_column: 't', aggregates: [{ fn: 'count' }] };
    expect(lowCodeSql('time_bucket', { ...base, interval: '1 hour' }, ['r']).ok).toBe(true);
    expect(lowCodeSql('time_bucket', { ...base, interval: "1 hour', t)); DROP TABLE r; --" }, ['r'])).toMatchObject({ ok: false, issues: [{ path: ['interval'] }] });
    expect(lowCodeSql('time_bucket', { ...base, interval: '1 hour', aggregates: [{ fn: 'count', as: 'bucket' }] }, ['r'])).toMatchObject({
      ok: false,
      issues: [{ path: ['aggregates', 0, 'as'] }],
    });
  });
});

describe('fill missing', () => {
  it('forward-fills per batch in time order, not across batches', async () => {
    const cfg = { columns: ['ph', 'DO %'], partition_by: ['batch_id'], order_by: [{ column: 't' }] };
    expect(sqlOf('fill_missing', cfg)).toContain(
      'last_value("ph" IGNORE NULLS) OVER (PARTITION BY "batch_id" ORDER BY "t" ASC NULLS LAST, readings ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "ph"',
    );
    const out = await rows('fill_missing', cfg, 'reversed');
    expect(out.map((r) => [r[4], r[2], r[3]])).toEqual([
      ['a', 7.0, 40],
      ['b', 7.0, 41],
      ['c', 7.2, 41],
      ['d', 6.8, 50],
      ['e', 6.8, 50],
      ['f', 7.1, 52],
    ]);
    expect(await columns('fill_missing', cfg)).toEqual(['batch_id', 't', 'ph', 'DO %', 'note']);
  });

  it('backward takes the next value; constant writes a value converted to the column type', async () => {
    const back = await rows('fill_missing', { columns: ['ph'], method: 'backward', partition_by: ['batch_id'], order_by: [{ column: 't' }] });
    expect(back.map((r) => r[2])).toEqual([7.0, 7.2, 7.2, 6.8, 7.1, 7.1]);
    const constant = await rows('fill_missing', { columns: ['DO %'], method: 'constant', value: "0' -- not SQL" }, 'readings', 'note').catch((e: Error) => e.message);
    expect(String(constant)).toMatch(/Could not convert string '0' -- not SQL' to INT32/);
    expect((await rows('fill_missing', { columns: ['DO %'], method: 'constant', value: '0' }, 'readings', 'note')).map((r) => r[3])).toEqual([40, 41, 0, 50, 0, 52]);
    expect(lowCodeSql('fill_missing', { columns: ['ph'] }, ['r'])).toMatchObject({ ok: false, issues: [{ path: ['order_by'], message: 'expected order by with method "forward"' }] });
  });
});

describe('wide to long', () => {
  it('reshapes the columns matching a pattern into name/value rows, converting the values', async () => {
    const cfg = { pattern: '^[A-H][0-9]+$', name_column: 'well', value_column: 'od', value_type: 'DOUBLE' };
    expect(await columns('wide_to_long', cfg, 'plate')).toEqual(['plate', 'note', 'well', 'od']);
    expect(await rows('wide_to_long', cfg, 'plate', 'plate, well')).toEqual([
      ['P1', 'ok', 'A1', 1.5],
      ['P1', 'ok', 'B1', 3],
      ['P2', 'rerun', 'A2', 2.25],
      ['P2', 'rerun', 'B1', 4],
    ]);
    expect(await rows('wide_to_long', { ...cfg, include_nulls: true }, 'plate')).toHaveLength(6);
  });

  it('or a list of columns; values kept as text by default', async () => {
    expect(await rows('wide_to_long', { match: 'list', columns: ['A1', 'A2'] }, 'plate', 'plate, name')).toEqual([
      ['P1', 3, 'ok', 'A1', '1.5'],
      ['P1', 3, 'ok', 'A2', '<0.5'],
      ['P2', 4, 'rerun', 'A2', '2.25'],
    ]);
  });
});

describe('hostile names stay names', () => {
  const HOSTILE = 'x"); DROP TABLE victim; --';
  beforeAll(async () => {
    await conn.run('CREATE TABLE victim AS SELECT 1 AS v');
    await conn.run(`CREATE TABLE "order" AS SELECT * FROM (VALUES ('B1', 1, 10), ('B1', 2, NULL), ('B2', 1, 30)) v(batch_id, seq, "${HOSTILE.replace(/"/g, '""')}")`);
  });

  it.each<[LowCodeKind, unknown]>([
    ['sort', { by: [{ column: HOSTILE, direction: 'desc' }] }],
    ['sample', { rows: 2, order_by: [{ column: HOSTILE }] }],
    ['compute_column', { name: 'twice', expression: `"${HOSTILE.replace(/"/g, '""')}" * 2` }],
    ['cast_columns', { columns: [{ name: HOSTILE, type: 'VARCHAR', rename: 'v' }] }],
    ['pivot', { group_by: ['batch_id'], column: 'seq', values: ["1'); DROP TABLE victim; --", '2'], fn: 'max', value_column: HOSTILE }],
    ['unpivot', { columns: [HOSTILE, 'seq'] }],
    ['window', { partition_by: ['batch_id'], order_by: [{ column: HOSTILE }], functions: [{ fn: 'sum', column: HOSTILE, as: 'running' }] }],
    ['fill_missing', { columns: [HOSTILE], partition_by: ['batch_id'], order_by: [{ column: 'seq' }] }],
    ['wide_to_long', { pattern: "^x'\\); DROP TABLE victim; --", include_nulls: true }],
    ['wide_to_long', { pattern: '^x"', include_nulls: true }],
    ['wide_to_long', { match: 'list', columns: [HOSTILE, 'seq'] }],
  ])('%s quotes them and runs one query', async (kind, config) => {
    const sql = sqlOf(kind, config, 'order');
    expect((await conn.extractStatements(sql)).count).toBe(1);
    await conn.runAndReadAll(sql).catch((e: Error) => {
      // The pattern matches no column: DuckDB says so, as a pattern, not as SQL it ran.
      expect(e.message).toMatch(/did not match any columns|No matching columns/i);
    });
    expect((await conn.runAndReadAll('SELECT v FROM victim')).getRowsJS()).toEqual([[1]]);
  });
});
