import { describe, expect, it } from 'vitest';
import { renameNode, renameTableInSql, nodeNameProblem } from '../../../../shared/pipeline/rename';
import { tokenizeSql } from '../../../../shared/pipeline/sql-tokens';
import type { Pipeline } from '../../../../shared/pipeline/schema';

const r = (sql: string) => renameTableInSql(sql, 'raw', 'batches');

describe('tokenizeSql', () => {
  it('gives back the input when the tokens are joined', () => {
    const sql = `select 'it''s', E'a\\'b', "Quo""ted", $$ raw $$, $tag$x$tag$ -- c\n/* a /* nested */ b */ 1.5e3, $1 from raw`;
    expect(tokenizeSql(sql).map((t) => t.text).join('')).toBe(sql);
  });
});

describe('renameTableInSql', () => {
  it('renames a table after FROM and JOIN, case-insensitively', () => {
    expect(r('select * from raw')).toBe('select * from batches');
    expect(r('SELECT * FROM RAW r JOIN Raw AS q ON r.id = q.id')).toBe('SELECT * FROM batches r JOIN batches AS q ON r.id = q.id');
    expect(r('from raw select id')).toBe('from batches select id');
  });

  it('renames in a FROM list after commas, and in subqueries', () => {
    expect(r('select * from a, raw where a.x in (select x from raw)')).toBe('select * from a, batches where a.x in (select x from batches)');
  });

  it('renames the qualifier of a column, keeping quotes where they were', () => {
    expect(r('select raw.id, "RAW".lot from raw')).toBe('select batches.id, "batches".lot from batches');
    expect(r('select "raw".* from "raw"')).toBe('select "batches".* from "batches"');
  });

  it('leaves string literals, comments and dollar-quoted text alone', () => {
    const sql = "select 'raw' as s, $$from raw$$ -- from raw\n/* from raw */ from raw";
    expect(r(sql)).toBe("select 'raw' as s, $$from raw$$ -- from raw\n/* from raw */ from batches");
  });

  it('leaves a column that merely shares the name, and x.raw members', () => {
    expect(r('select raw, t.raw, t.raw.x from t')).toBe('select raw, t.raw, t.raw.x from t');
    expect(r('select s.raw from other s')).toBe('select s.raw from other s');
  });

  it('leaves another schema\'s table and table functions', () => {
    expect(r('select * from lake.raw join raw(1) on true')).toBe('select * from lake.raw join raw(1) on true');
  });

  it('leaves everything when a CTE of the same name shadows the input', () => {
    const sql = 'with raw as (select 1 as id) select * from raw';
    expect(r(sql)).toBe(sql);
    const cols = 'with x as (select 1), raw(id) as materialized (select 1) from raw';
    expect(r(cols)).toBe(cols);
  });

  it('renames FROM but not a qualifier shadowed by an alias of the same name', () => {
    expect(r('select raw.id from other raw join raw b on true')).toBe('select raw.id from other raw join batches b on true');
  });

  it('quotes a new name that is a reserved word', () => {
    expect(renameTableInSql('select * from raw', 'raw', 'order')).toBe('select * from "order"');
  });

  it('handles a name that appears nowhere', () => {
    expect(r('select 1')).toBe('select 1');
  });
});

const pipeline = (): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'p',
  params: {},
  nodes: [
    { id: 'n1', name: 'raw', kind: 'seed', inputs: [], config: { columns: [{ name: 'raw', type: 'VARCHAR' }], rows: [] } },
    { id: 'n2', name: 'clean', kind: 'sql', inputs: ['n1'], config: { materialize: 'auto', sql: ['select raw', 'from raw -- raw rows', "where raw <> 'raw'"] } },
    { id: 'n3', name: 'other', kind: 'sql', inputs: [], config: { materialize: 'auto', sql: ['select 1 as x from raw'] } },
    {
      id: 'n4',
      name: 'checks',
      kind: 'check',
      inputs: ['n2', 'n1'],
      config: {
        rules: [
          { type: 'relationship', column: 'raw', to: 'RAW', field: 'raw' },
          { type: 'expression', expression: 'raw in (select raw from raw)' },
          { type: 'query', sql: ['select * from clean', 'join raw using (raw)'] },
          { type: 'not_null', column: 'raw' },
        ],
      },
    },
  ],
  layout: {},
});

describe('renameNode', () => {
  it('renames the node and rewrites SQL and check references only in the nodes that take it as input', () => {
    const before = pipeline();
    const { pipeline: after, rewritten } = renameNode(before, 'n1', 'batches');
    expect(after.nodes[0]?.name).toBe('batches');
    expect(after.nodes[1]?.config.sql).toEqual(['select raw', 'from batches -- raw rows', "where raw <> 'raw'"]);
    expect(after.nodes[2]?.config.sql).toEqual(['select 1 as x from raw']);
    expect(after.nodes[3]?.config.rules).toEqual([
      { type: 'relationship', column: 'raw', to: 'batches', field: 'raw' },
      { type: 'expression', expression: 'raw in (select raw from batches)' },
      { type: 'query', sql: ['select * from clean', 'join batches using (raw)'] },
      { type: 'not_null', column: 'raw' },
    ]);
    expect(rewritten).toEqual(['clean', 'checks']);
    // Untouched nodes keep their very objects (the designer's undo history shares them).
    expect(after.nodes[2]).toBe(before.nodes[2]);
    expect(before.nodes[0]?.name).toBe('raw'); // the input is not changed
  });

  it('refuses a duplicate or invalid name', () => {
    expect(() => renameNode(pipeline(), 'n1', 'CLEAN')).toThrow(/already named "clean"/);
    expect(() => renameNode(pipeline(), 'n1', '1abc')).toThrow(/SQL identifier/);
    expect(nodeNameProblem(pipeline(), 'n1', 'raw')).toBeNull();
  });
});
