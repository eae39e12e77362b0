import { beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryLineage, type ColumnLineage } from '../../../shared/lineage';
import { parseQueries } from '../../../src-main/engine/lineage/parse-sql';
import { testConnection } from '../../support/duckdb';

// Column lineage of SQL shapes, from DuckDB's real parser (json_serialize_sql) and the
// columns DuckDB binds for the query (DESCRIBE). The expected lineage of each is written by
// hand from the SQL: `d` direct (the value flows), `i` indirect (decides rows, groups or a
// branch), `?` an unknown part. Two inputs: t(a, b, c, d, k, l INT[], st STRUCT(f, g)) and u(k, x, y, z).

const INPUTS = [
  { name: 't', columns: ['a', 'b', 'c', 'd', 'k', 'l', 'st'] },
  { name: 'u', columns: ['k', 'x', 'y', 'z'] },
];

type Want = Record<string, { d?: string[]; i?: string[]; unknown?: RegExp }>;

const CASES: [string, string, Want][] = [
  ['plain column', 'select a from t', { a: { d: ['t.a'] } }],
  ['expression with alias', 'select a * 2 + b as ab from t', { ab: { d: ['t.a', 't.b'] } }],
  ['aggregate with group by', 'select k, sum(a) as s from t group by k', { k: { d: ['t.k'] }, s: { d: ['t.a'], i: ['t.k'] } }],
  ['count(*) reads no column', 'select count(*) as n from t where b > 0', { n: { i: ['t.b'] } }],
  ['star', 'select * from u', { k: { d: ['u.k'] }, x: { d: ['u.x'] }, y: { d: ['u.y'] }, z: { d: ['u.z'] } }],
  ['star exclude', 'select * exclude (x, y) from u', { k: { d: ['u.k'] }, z: { d: ['u.z'] } }],
  ['star replace', 'select * replace (x + y as x) from u', { k: { d: ['u.k'] }, x: { d: ['u.x', 'u.y'] }, y: { d: ['u.y'] }, z: { d: ['u.z'] } }],
  ['table-qualified star in a join', 'select u.*, t.a from t join u on t.k = u.k', {
    k: { d: ['u.k'], i: ['t.k'] }, x: { d: ['u.x'], i: ['t.k', 'u.k'] }, y: { d: ['u.y'], i: ['t.k', 'u.k'] }, z: { d: ['u.z'], i: ['t.k', 'u.k'] }, a: { d: ['t.a'], i: ['t.k', 'u.k'] },
  }],
  ['aliases of tables and columns', 'select q.a as first, q.b other from t as q', { first: { d: ['t.a'] }, other: { d: ['t.b'] } }],
  ['CTE', 'with w as (select a + b as s from t) select s from w', { s: { d: ['t.a', 't.b'] } }],
  ['chained CTEs', 'with w1 as (select a, c from t where d > 0), w2 as (select a * 10 as a10 from w1 where c = 1) select a10 from w2', { a10: { d: ['t.a'], i: ['t.c', 't.d'] } }],
  ['CTE column aliases', 'with w(p, q) as (select a, b from t) select q from w', { q: { d: ['t.b'] } }],
  ['subquery in FROM', 'select s.total from (select k, sum(x) as total from u group by k) as s', { total: { d: ['u.x'], i: ['u.k'] } }],
  ['scalar subquery', 'select a, (select max(z) from u where u.y > 0) as top from t', { a: { d: ['t.a'] }, top: { d: ['u.z'], i: ['u.y'] } }],
  ['correlated scalar subquery', 'select (select max(x) from u where u.k = t.k) as m from t', { m: { d: ['u.x'], i: ['u.k', 't.k'] } }],
  ['join ON', 'select t.a, u.x from t left join u on t.k = u.k and u.y > 1', { a: { d: ['t.a'], i: ['t.k', 'u.k', 'u.y'] }, x: { d: ['u.x'], i: ['t.k', 'u.k', 'u.y'] } }],
  ['join USING: the key is the left side\'s', 'select k, a, x from t join u using (k)', { k: { d: ['t.k'], i: ['u.k'] }, a: { d: ['t.a'], i: ['t.k', 'u.k'] }, x: { d: ['u.x'], i: ['t.k', 'u.k'] } }],
  ['star over USING shows the key once', 'select * exclude (l, st) from t join u using (k)', {
    a: { d: ['t.a'], i: ['t.k', 'u.k'] }, b: { d: ['t.b'], i: ['t.k', 'u.k'] }, c: { d: ['t.c'], i: ['t.k', 'u.k'] }, d: { d: ['t.d'], i: ['t.k', 'u.k'] }, k: { d: ['t.k'], i: ['u.k'] },
    x: { d: ['u.x'], i: ['t.k', 'u.k'] }, y: { d: ['u.y'], i: ['t.k', 'u.k'] }, z: { d: ['u.z'], i: ['t.k', 'u.k'] },
  }],
  ['NATURAL join: the common columns are the keys', 'select k, a, x from t natural join u', { k: { d: ['t.k'], i: ['u.k'] }, a: { d: ['t.a'], i: ['t.k', 'u.k'] }, x: { d: ['u.x'], i: ['t.k', 'u.k'] } }],
  ['FULL join USING: the key may come from either side', 'select k from t full join u using (k)', { k: { d: ['t.k', 'u.k'] } }],
  ['semi join keeps the left columns', 'select * exclude (l, st) from t semi join u on t.k = u.k', {
    a: { d: ['t.a'], i: ['t.k', 'u.k'] }, b: { d: ['t.b'], i: ['t.k', 'u.k'] }, c: { d: ['t.c'], i: ['t.k', 'u.k'] }, d: { d: ['t.d'], i: ['t.k', 'u.k'] }, k: { d: ['t.k'], i: ['u.k'] },
  }],
  ['UNION ALL by position', 'select a as v, b as w from t union all select x, y from u', { v: { d: ['t.a', 'u.x'] }, w: { d: ['t.b', 'u.y'] } }],
  ['UNION BY NAME', 'select a as v from t union all by name select x as v, y as w from u', { v: { d: ['t.a', 'u.x'] }, w: { d: ['u.y'] } }],
  ['EXCEPT: the right side decides', 'select k from t except select k from u where x > 0', { k: { d: ['t.k'], i: ['u.k', 'u.x'] } }],
  ['INTERSECT', 'select a from t intersect select z from u', { a: { d: ['t.a'], i: ['u.z'] } }],
  ['unnest in the select list', 'select k, unnest(l) as item from t', { k: { d: ['t.k'] }, item: { d: ['t.l'] } }],
  ['unnest in FROM (lateral)', 'select t.k, v.item from t, unnest(t.l) as v(item)', { k: { d: ['t.k'] }, item: { d: ['t.l'] } }],
  ['window: partition and order are indirect', 'select a, sum(b) over (partition by k order by c) as run from t', { a: { d: ['t.a'] }, run: { d: ['t.b'], i: ['t.k', 't.c'] } }],
  ['row_number reads no value', 'select row_number() over (partition by k order by d) as rn from t', { rn: { i: ['t.k', 't.d'] } }],
  ['WHERE', 'select a from t where b > 1 and c is not null', { a: { d: ['t.a'], i: ['t.b', 't.c'] } }],
  ['WHERE with IN subquery', 'select a from t where k in (select k from u where z = 0)', { a: { d: ['t.a'], i: ['t.k', 'u.k', 'u.z'] } }],
  ['HAVING', 'select k, count(*) as n from t group by k having sum(b) > 3', { k: { d: ['t.k'], i: ['t.b'] }, n: { i: ['t.k', 't.b'] } }],
  ['QUALIFY', 'select a from t qualify row_number() over (partition by k order by d desc) = 1', { a: { d: ['t.a'], i: ['t.k', 't.d'] } }],
  ['GROUP BY ALL', 'select k, c, max(a) as m from t group by all', { k: { d: ['t.k'], i: ['t.c'] }, c: { d: ['t.c'], i: ['t.k'] }, m: { d: ['t.a'], i: ['t.k', 't.c'] } }],
  ['GROUP BY position', 'select k % 2 as parity, count(*) as n from t group by 1', { parity: { d: ['t.k'] }, n: { i: ['t.k'] } }],
  ['ORDER BY without LIMIT only orders', 'select a from t order by b', { a: { d: ['t.a'] } }],
  ['ORDER BY with LIMIT decides the rows', 'select a from t order by b desc limit 3', { a: { d: ['t.a'], i: ['t.b'] } }],
  ['DISTINCT ON', 'select distinct on (k) k, a from t order by k, d', { k: { d: ['t.k'] }, a: { d: ['t.a'], i: ['t.k'] } }],
  ['CASE: conditions are indirect', "select case when b > 0 then a when c > 0 then d else 0 end as v from t", { v: { d: ['t.a', 't.d'], i: ['t.b', 't.c'] } }],
  ['a table name alone is its whole row', 'select k, a from t qualify row_number() over (partition by k order by t) = 1', { k: { d: ['t.k'], i: ['t.a', 't.b', 't.c', 't.d', 't.l', 't.st'] }, a: { d: ['t.a'], i: ['t.k', 't.b', 't.c', 't.d', 't.l', 't.st'] } }],
  ['if(): the condition is indirect', "select if(b is null, 'none', 'some') as v from t", { v: { i: ['t.b'] } }],
  ['COALESCE', 'select coalesce(a, b, 0) as v from t', { v: { d: ['t.a', 't.b'] } }],
  ['casts', 'select cast(a as varchar) as s, b::double as f, try_cast(c as date) as g from t', { s: { d: ['t.a'] }, f: { d: ['t.b'] }, g: { d: ['t.c'] } }],
  ['struct field access', "select st.f as f1, st['g'] as g1, t.st.f as f2 from t", { f1: { d: ['t.st'] }, g1: { d: ['t.st'] }, f2: { d: ['t.st'] } }],
  ['aggregate FILTER and ORDER BY are indirect', "select string_agg(a::varchar, ',' order by c) filter (where d > 0) as s from t", { s: { d: ['t.a'], i: ['t.c', 't.d'] } }],
  ['select-list alias reused later', 'select a + 1 as a1, a1 * 2 as a2 from t', { a1: { d: ['t.a'] }, a2: { d: ['t.a'] } }],
  ['lambda parameters are not columns', 'select list_transform(l, x -> x + a) as m from t', { m: { d: ['t.l', 't.a'] } }],
  ['VALUES have no input columns', 'select v.p, t.a from (values (1), (2)) as v(p) cross join t', { p: {}, a: { d: ['t.a'] } }],
  ['COLUMNS with a pattern is unknown, never guessed', "select columns('^[ab]$') from t", { a: { unknown: /COLUMNS/ }, b: { unknown: /COLUMNS/ } }],
  ['recursive CTE is unknown', 'with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select n from r', { n: { unknown: /recursive/ } }],
];

let conn: DuckDBConnection;

beforeAll(async () => {
  conn = await testConnection();
  await conn.run('CREATE OR REPLACE TABLE t (a INTEGER, b INTEGER, c INTEGER, d INTEGER, k INTEGER, l INTEGER[], st STRUCT(f INTEGER, g INTEGER))');
  await conn.run('CREATE OR REPLACE TABLE u (k INTEGER, x INTEGER, y INTEGER, z INTEGER)');
});

async function bound(sql: string): Promise<string[]> {
  const reader = await conn.runAndReadAll(`DESCRIBE ${sql}`);
  return reader.getRowObjects().map((r) => String(r.column_name));
}

async function lineageOf(sql: string): Promise<ColumnLineage[]> {
  const [tree] = await parseQueries(conn, [sql]);
  return queryLineage(tree ?? null, INPUTS, await bound(sql));
}

const refs = (list: { node: string; column: string }[]) => list.map((r) => `${r.node}.${r.column}`).sort();

describe('column lineage of SQL shapes (real DuckDB parser)', () => {
  it(`has at least 30 shapes`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  for (const [name, sql, want] of CASES.filter(([, , w]) => typeof w === 'object')) {
    it(name, async () => {
      const got = await lineageOf(sql);
      // The walk lines its columns up with DuckDB's own binding, name for name.
      expect(got.map((c) => c.name)).toEqual(Object.keys(want));
      for (const col of got) {
        const w = want[col.name]!;
        if (w.unknown) {
          expect(col.unknown.join('; ')).toMatch(w.unknown);
          continue;
        }
        expect(col.unknown, `${col.name}: no unknown part`).toEqual([]);
        expect(refs(col.direct), `${col.name} direct`).toEqual([...(w.d ?? [])].sort());
        expect(refs(col.indirect), `${col.name} indirect`).toEqual([...(w.i ?? [])].sort());
      }
    });
  }

  it('a table function Weir does not know makes every column unknown, saying which', async () => {
    const sql = 'select t.a, s.name from t, duckdb_settings() s';
    const got = await lineageOf(sql);
    expect(got.map((c) => c.name)).toEqual(['a', 'name']);
    expect(got[1]!.unknown.join()).toMatch(/duckdb_settings/);
  });

  it('a reference to a table that is not an input is unknown', async () => {
    const [tree] = await parseQueries(conn, ['select a, x from t join u using (k)']);
    const got = queryLineage(tree ?? null, [INPUTS[0]!], ['a', 'x']);
    expect(got[0]!.unknown.join()).toMatch(/"u" is not an input/);
    expect(got[1]!.unknown.join()).toMatch(/"u" is not an input/);
  });

  it('SQL the parser refuses is unknown for every bound column', async () => {
    const [tree] = await parseQueries(conn, ['select from where']);
    const got = queryLineage(tree ?? null, INPUTS, ['x']);
    expect(got[0]!.unknown[0]).toMatch(/^the SQL /);
  });

  it('a column count that differs from the bound one is unknown rather than misaligned', async () => {
    const [tree] = await parseQueries(conn, ['select a, b from t']);
    const got = queryLineage(tree ?? null, INPUTS, ['only']);
    expect(got).toHaveLength(1);
    expect(got[0]!.unknown[0]).toMatch(/could not be lined up/);
  });
});
