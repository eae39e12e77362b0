import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRule, type CheckRule } from '../../../shared/nodes/check';
import type { CheckResult } from '../../../shared/run/record';
import { evaluateRule } from '../../../src-main/engine/nodes/check/evaluate';

let db: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  await conn.run(`CREATE TABLE t AS SELECT * FROM (VALUES
    (1, 'a',  10.0, 'B0001', DATE '2024-01-01'),
    (2, 'b',  70.0, 'B0002', DATE '2024-02-01'),
    (3, NULL, 100.0, 'b0003', DATE '2024-03-01'),
    (4, 'c',  NULL, 'B0004', NULL),
    (5, 'a',  -1.0, NULL, DATE '2025-01-01')
  ) AS v(id, code, value, batch_id, made_on)`);
});
afterAll(() => {
  conn.closeSync();
  db.closeSync();
});

/** Parses the rule with the shared schema (defaults applied) and runs it against `table`. */
async function check(rule: Record<string, unknown>, table = 't'): Promise<CheckResult> {
  const parsed: CheckRule = checkRule.parse(rule);
  return evaluateRule({ rule: parsed, name: 'r', conn, checked: table, nodeName: 'chk' });
}

const failingIds = (r: CheckResult) => r.sample.map((s) => Number(s.id));

describe('not_null (dbt: rows where the column is null fail)', () => {
  it('fails on each NULL, with the whole row in the sample', async () => {
    const r = await check({ type: 'not_null', column: 'code' });
    expect(r).toMatchObject({ passed: false, failingRows: 1, severity: 'error', type: 'not_null', columns: ['code'] });
    // DECIMAL values come back as exact strings, dates as ISO dates.
    expect(r.sample).toEqual([{ id: 3, code: null, value: '100.0', batch_id: 'b0003', made_on: '2024-03-01' }]);
    expect(r.message).toBe('1 failing row: expected code is not null');
  });

  it('passes an empty string, which is not NULL', async () => {
    await conn.run(`CREATE OR REPLACE TABLE empty_str AS SELECT '' AS code`);
    expect(await check({ type: 'not_null', column: 'code' }, 'empty_str')).toMatchObject({ passed: true, failingRows: 0, sample: [] });
  });

  it('passes a column without NULLs', async () => {
    expect(await check({ type: 'not_null', column: 'id' })).toMatchObject({ passed: true, failingRows: 0 });
  });
});

describe('unique (dbt: NULLs ignored)', () => {
  it('fails on every row of a repeated value and ignores repeated NULLs', async () => {
    await conn.run(`CREATE OR REPLACE TABLE u AS SELECT * FROM (VALUES (1, 'x'), (2, 'x'), (3, NULL), (4, NULL), (5, 'y')) AS v(id, k)`);
    const r = await check({ type: 'unique', columns: ['k'] }, 'u');
    expect(r).toMatchObject({ passed: false, failingRows: 2 });
    expect(failingIds(r)).toEqual([1, 2]);
  });

  it('checks a combination of columns; a combination with a NULL is not compared', async () => {
    await conn.run(`CREATE OR REPLACE TABLE u2 AS SELECT * FROM (VALUES
      (1, 'B1', 'viability'), (2, 'B1', 'endotoxin'), (3, 'B2', 'viability'),
      (4, 'B1', NULL), (5, 'B1', NULL), (6, 'B2', 'viability')) AS v(id, batch, assay)`);
    const r = await check({ type: 'unique', columns: ['batch', 'assay'] }, 'u2');
    expect(r.failingRows).toBe(2);
    expect(failingIds(r)).toEqual([3, 6]);
    expect((await check({ type: 'unique', columns: ['id'] }, 'u2')).passed).toBe(true);
  });
});

describe('accepted_values (dbt: NULLs ignored)', () => {
  it('fails on values outside the list and lets NULL through', async () => {
    const r = await check({ type: 'accepted_values', column: 'code', values: ['a', 'b'] });
    expect(r).toMatchObject({ passed: false, failingRows: 1 });
    expect(failingIds(r)).toEqual([4]);
    expect(r.message).toBe("1 failing row: expected code in ('a', 'b')");
  });

  it('is case-sensitive and compares numbers as numbers', async () => {
    expect((await check({ type: 'accepted_values', column: 'batch_id', values: ['B0001', 'B0002', 'B0003', 'B0004'] })).failingRows).toBe(1);
    expect((await check({ type: 'accepted_values', column: 'id', values: [1, 2, 3, 4, 5] })).passed).toBe(true);
    expect((await check({ type: 'accepted_values', column: 'id', values: [1, 2] })).failingRows).toBe(3);
  });
});

describe('relationship (dbt relationships: NULLs ignored)', () => {
  beforeAll(async () => {
    await conn.run(`CREATE OR REPLACE TABLE parent AS SELECT * FROM (VALUES ('B0001'), ('B0002'), ('b0003'), (NULL)) AS v(batch_id)`);
  });

  it('fails on child values missing from the parent, ignoring NULL children', async () => {
    const r = await check({ type: 'relationship', column: 'batch_id', to: 'parent', field: 'batch_id' });
    expect(r).toMatchObject({ passed: false, failingRows: 1, columns: ['batch_id'] });
    expect(failingIds(r)).toEqual([4]);
  });

  it('is not fooled by a NULL in the parent column (the NOT IN pitfall)', async () => {
    await conn.run(`CREATE OR REPLACE TABLE parent_null AS SELECT * FROM (VALUES (NULL::VARCHAR)) AS v(batch_id)`);
    const r = await check({ type: 'relationship', column: 'batch_id', to: 'parent_null', field: 'batch_id' });
    expect(r.failingRows).toBe(4);
  });
});

describe('range', () => {
  it('is inclusive by default and lets NULL through', async () => {
    const r = await check({ type: 'range', column: 'value', min: 10, max: 100 });
    expect(failingIds(r)).toEqual([5]);
    expect(r.message).toBe('1 failing row: expected value in [10, 100]');
  });

  it('excludes the bounds when inclusive is false', async () => {
    const r = await check({ type: 'range', column: 'value', min: 10, max: 100, inclusive: false });
    expect(failingIds(r)).toEqual([1, 3, 5]);
    expect(r.message).toContain('value in (10, 100)');
  });

  it('takes one bound alone, and dates as strings', async () => {
    expect(failingIds(await check({ type: 'range', column: 'value', min: 70 }))).toEqual([1, 5]);
    expect(failingIds(await check({ type: 'range', column: 'value', max: 70, inclusive: false }))).toEqual([2, 3]);
    expect(failingIds(await check({ type: 'range', column: 'made_on', min: '2024-01-15', max: '2024-12-31' }))).toEqual([1, 5]);
  });

  it('needs a bound', () => {
    expect(checkRule.safeParse({ type: 'range', column: 'value' }).success).toBe(false);
  });
});

describe('row_count', () => {
  it('passes within the bounds and fails as one table-level failure outside them', async () => {
    expect(await check({ type: 'row_count', min: 5, max: 5 })).toMatchObject({ passed: true, failingRows: 0, message: 'row count 5: ok' });
    const r = await check({ type: 'row_count', min: 6 });
    expect(r).toMatchObject({ passed: false, failingRows: 1, sample: [{ row_count: 5, min: 6, max: null }] });
    expect(r.message).toBe('row count 5, expected at least 6');
    expect((await check({ type: 'row_count', max: 4 })).passed).toBe(false);
  });

  it('fails on an empty relation when at least one row is required', async () => {
    await conn.run('CREATE OR REPLACE TABLE nothing AS SELECT 1 AS id WHERE false');
    expect(await check({ type: 'row_count', min: 1 }, 'nothing')).toMatchObject({ passed: false, sample: [{ row_count: 0 }] });
  });

  it('counts only the rows its where selects', async () => {
    expect((await check({ type: 'row_count', where: "code = 'a'", min: 2, max: 2 })).passed).toBe(true);
  });
});

describe('regex', () => {
  it('requires the whole value to match and lets NULL through', async () => {
    const r = await check({ type: 'regex', column: 'batch_id', pattern: 'B[0-9]{4}' });
    expect(failingIds(r)).toEqual([3]);
    expect((await check({ type: 'regex', column: 'batch_id', pattern: 'B0' })).failingRows).toBe(4);
    expect((await check({ type: 'regex', column: 'batch_id', pattern: '(?i)b[0-9]{4}' })).passed).toBe(true);
  });

  it('matches non-text columns by their text', async () => {
    expect((await check({ type: 'regex', column: 'id', pattern: '[1-4]' })).failingRows).toBe(1);
  });
});

describe('expression (false fails; NULL passes, as a CHECK constraint)', () => {
  it('fails the rows where it is false', async () => {
    const r = await check({ type: 'expression', expression: 'value >= 0 and id < 5' });
    expect(failingIds(r)).toEqual([5]);
  });

  it('lets a NULL result through', async () => {
    // Row 4 has value NULL: "value > 50" is NULL there, not false.
    expect(failingIds(await check({ type: 'expression', expression: 'value > 50' }))).toEqual([1, 5]);
  });
});

describe('query', () => {
  it('fails with the rows the query returns, and passes when it returns none', async () => {
    const r = await check({ type: 'query', sql: ['select id, code', 'from t', "where code = 'a' -- repeated codes", ';'] });
    expect(r).toMatchObject({ passed: false, failingRows: 2, sample: [{ id: 1, code: 'a' }, { id: 5, code: 'a' }] });
    expect((await check({ type: 'query', sql: ['select * from t where id > 100'] })).passed).toBe(true);
  });
});

describe('every rule', () => {
  it('narrows the rows with where', async () => {
    expect((await check({ type: 'not_null', column: 'code', where: 'id <> 3' })).passed).toBe(true);
    expect((await check({ type: 'range', column: 'value', min: 0, where: 'batch_id is not null' })).passed).toBe(true);
  });

  it('samples at most 5 failing rows, sorted, and counts all of them', async () => {
    await conn.run('CREATE OR REPLACE TABLE many AS SELECT 13 - range AS id, NULL::INTEGER AS v FROM range(13)');
    const r = await check({ type: 'not_null', column: 'v' }, 'many');
    expect(r.failingRows).toBe(13);
    expect(failingIds(r)).toEqual([1, 2, 3, 4, 5]);
  });

  it('records warn severity and the description', async () => {
    const r = await check({ type: 'not_null', column: 'code', severity: 'warn', description: 'a code is expected' });
    expect(r).toMatchObject({ severity: 'warn', passed: false, description: 'a code is expected' });
  });

  it('names the rule when its SQL fails', async () => {
    await expect(check({ type: 'not_null', column: 'no_such_column' })).rejects.toThrow(/^rule "r": Binder Error: .*no_such_column/);
  });

  it('quotes column names, so unusual names work and cannot inject SQL', async () => {
    await conn.run(`CREATE OR REPLACE TABLE odd AS SELECT 1 AS "Viability %", 'x' AS "a""b"`);
    expect((await check({ type: 'range', column: 'Viability %', min: 0, max: 100 }, 'odd')).passed).toBe(true);
    expect((await check({ type: 'accepted_values', column: 'a"b', values: ["x' OR 1=1 --"] }, 'odd')).failingRows).toBe(1);
  });
});
