import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lowCodeSql, type LowCodeKind } from '../../../shared/nodes/lowcode';
import { testConnection } from '../../support/duckdb';

/** The generated SQL run as-is in DuckDB, on inputs with awkward names and NULLs. */
let conn: DuckDBConnection;

beforeAll(async () => {
  conn = await testConnection();
  await conn.run(`ATTACH ':memory:' AS lowcode_sql; USE lowcode_sql`);
  // an input named by a reserved word, with a column name holding a space and a quote
  await conn.run(`CREATE TABLE "order" AS SELECT * FROM (VALUES
    ('B1', 'BOS', 1, 'x"y 1'), ('B2', 'LEI', NULL, 'x"y 2'), ('B2', 'LEI', 5, 'x"y 3'), ('B3', NULL, 7, 'x"y 4')
  ) t(batch_id, site, "Cell Count", "x""y")`);
  await conn.run(`CREATE TABLE lots AS SELECT * FROM (VALUES ('B1', 'L1'), ('B4', 'L4')) t(batch_id, lot)`);
});
afterAll(async () => {
  await conn.run('USE memory; DETACH lowcode_sql');
  conn.closeSync();
});

async function rows(kind: LowCodeKind, config: unknown, inputs: string[], orderBy = '1'): Promise<unknown[][]> {
  const r = lowCodeSql(kind, config, inputs);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const reader = await conn.runAndReadAll(`SELECT * FROM (\n${r.sql.join('\n')}\n) ORDER BY ${orderBy}`);
  return reader.getRowsJS().map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
}

describe('generated SQL in DuckDB', () => {
  it('filter keep and drop split the rows between them, NULLs going to drop', async () => {
    const keep = await rows('filter', { condition: '"Cell Count" > 2' }, ['order'], 'ALL');
    const drop = await rows('filter', { condition: '"Cell Count" > 2', mode: 'drop' }, ['order'], 'ALL');
    expect(keep.map((r) => r[3])).toEqual(['x"y 3', 'x"y 4']);
    expect(drop.map((r) => r[3])).toEqual(['x"y 1', 'x"y 2']);
  });

  it('select quotes awkward column names and casts', async () => {
    expect(await rows('select', { columns: [{ name: 'x"y', rename: 'label' }, { name: 'Cell Count', cast: 'VARCHAR' }] }, ['order'])).toEqual([
      ['x"y 1', '1'],
      ['x"y 2', null],
      ['x"y 3', '5'],
      ['x"y 4', '7'],
    ]);
    const kept = await conn.runAndReadAll(
      (lowCodeSql('select', { columns: [{ name: 'Cell Count', rename: 'cells' }], rest: 'keep', exclude: ['x"y'] }, ['order']) as { sql: string[] }).sql.join('\n'),
    );
    expect(kept.columnNames()).toEqual(['cells', 'batch_id', 'site']);
  });

  it('a full join fills the shared key from whichever side has it', async () => {
    const full = await rows('join', { type: 'full', on: [{ left: 'batch_id', right: 'batch_id' }] }, ['order', 'lots'], 'batch_id, 4');
    expect(full.map((r) => [r[0], r[4]])).toEqual([
      ['B1', 'L1'],
      ['B2', null],
      ['B2', null],
      ['B3', null],
      ['B4', 'L4'],
    ]);
    const right = await rows('join', { type: 'right', on: [{ left: 'batch_id', right: 'batch_id' }], condition: 'lots.lot <> \'L0\'' }, ['order', 'lots'], 'batch_id');
    expect(right.map((r) => [r[0], r[4]])).toEqual([
      ['B1', 'L1'],
      ['B4', 'L4'],
    ]);
  });

  it('deduplicate breaks ties by the whole row, so the kept row is stable', async () => {
    // B2 has two rows; with no order the whole row decides (a NULL field sorting last), so
    // first and last differ and are stable
    for (let i = 0; i < 3; i++) {
      const first = await rows('deduplicate', { keys: ['batch_id'] }, ['order']);
      const last = await rows('deduplicate', { keys: ['batch_id'], keep: 'last' }, ['order']);
      expect(first.map((r) => r[3])).toEqual(['x"y 1', 'x"y 3', 'x"y 4']);
      expect(last.map((r) => r[3])).toEqual(['x"y 1', 'x"y 2', 'x"y 4']);
    }
    // NULLs sort last: the first by Cell Count is the 5, the last the NULL
    const byCount = await rows('deduplicate', { keys: ['batch_id'], order_by: [{ column: 'Cell Count' }] }, ['order']);
    const byCountLast = await rows('deduplicate', { keys: ['batch_id'], order_by: [{ column: 'Cell Count' }], keep: 'last' }, ['order']);
    expect(byCount.map((r) => r[2])).toEqual([1, 5, 7]);
    expect(byCountLast.map((r) => r[2])).toEqual([1, null, 7]);
  });

  it('aggregate over an awkward column, and union by position', async () => {
    expect(await rows('aggregate', { group_by: ['site'], aggregates: [{ fn: 'sum', column: 'Cell Count' }, { fn: 'count', column: 'Cell Count' }] }, ['order'])).toEqual([
      ['BOS', 1, 1],
      ['LEI', 5, 1],
      [null, 7, 1],
    ]);
    await conn.run(`CREATE TABLE lots_2 AS SELECT 'L9' AS lot, 'B9' AS batch_id`);
    // by position, the second input's columns land where the first's are, whatever their names
    expect(await rows('union', { by_name: false, source_column: 'src' }, ['lots', 'lots_2'], 'ALL')).toEqual([
      ['lots', 'B1', 'L1'],
      ['lots', 'B4', 'L4'],
      ['lots_2', 'L9', 'B9'],
    ]);
    expect(await rows('union', { source_column: 'src' }, ['lots', 'lots_2'], 'ALL')).toEqual([
      ['lots', 'B1', 'L1'],
      ['lots', 'B4', 'L4'],
      ['lots_2', 'B9', 'L9'],
    ]);
  });
});
