import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterConfig, filterSql } from '../../../../shared/nodes/filter';
import { joinConfig, joinSql } from '../../../../shared/nodes/join';
import { inputRef } from '../../../../shared/nodes/lowcode-sql';
import { renameTableInSql } from '../../../../shared/pipeline/rename';
import { RESERVED_WORDS, sqlName } from '../../../../shared/sql/names';
import { RESERVED_WORDS as EDITOR_RESERVED_WORDS, sqlName as editorSqlName } from '../../../../src-renderer/sql/keywords';

let db: DuckDBInstance;
let conn: DuckDBConnection;

beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  // Tables named like the nodes below; created quoted, as a run creates them.
  await conn.run(`CREATE TABLE "left" AS SELECT 1 AS id, 'a' AS v`);
  await conn.run(`CREATE TABLE "join" AS SELECT 1 AS id, 'b' AS w`);
  await conn.run(`CREATE TABLE batches AS SELECT 1 AS id`);
});

afterAll(() => {
  conn.closeSync();
  db.closeSync();
});

const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRows();

describe('sqlName', () => {
  it('quotes exactly the words DuckDB reserves (reserved and type_function keywords)', async () => {
    const duck = await rows(`SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category IN ('reserved', 'type_function')`);
    expect([...RESERVED_WORDS].sort()).toEqual(duck.map((r) => String(r[0])).sort());
  });

  it('leaves a plain name bare and quotes reserved words and other names', () => {
    expect(sqlName('batches')).toBe('batches');
    expect(sqlName('Left')).toBe('"Left"');
    expect(sqlName('semi')).toBe('"semi"');
    expect(sqlName('my "lot"')).toBe('"my ""lot"""');
  });

  it('is the list the SQL editor uses', () => {
    expect(EDITOR_RESERVED_WORDS).toBe(RESERVED_WORDS);
    expect(editorSqlName).toBe(sqlName);
  });
});

describe('a node renamed to, or named, a DuckDB keyword', () => {
  it('renaming a table to `left` writes it quoted, and DuckDB parses the result', async () => {
    const sql = renameTableInSql('select * from raw where raw.id = 1', 'raw', 'left');
    expect(sql).toBe('select * from "left" where "left".id = 1');
    expect(await rows(sql)).toEqual([[1, 'a']]);
  });

  it('a low-code node reads an input named `join` quoted, and a plain name bare', async () => {
    expect(inputRef('join')).toBe('"join"');
    expect(inputRef('is')).toBe('"is"');
    expect(inputRef('batches')).toBe('batches');
    const filter = filterSql(filterConfig.parse({ condition: 'id = 1' }), ['join']).join('\n');
    expect(filter).toContain('FROM "join"');
    expect(await rows(filter)).toEqual([[1, 'b']]);
  });

  it('a join of inputs named `left` and `join` runs in DuckDB', async () => {
    const sql = joinSql(joinConfig.parse({ on: [{ left: 'id', right: 'id' }] }), ['left', 'join']).join('\n');
    expect(await rows(sql)).toEqual([[1, 'a', 'b']]);
  });
});
