import { beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { inputTracePlan, type InputTracePlan } from '../../../shared/lineage';
import { parseQueries } from '../../../src-main/engine/lineage/parse-sql';
import { testConnection } from '../../support/duckdb';

// "Explain this value": which columns restrict which input when a row of a query is traced
// back, from DuckDB's real parser. Expected pairs written by hand from the SQL: `out=in` says
// the output column `out` equals the input's column `in` on every row that made the output
// row; a string is the reason an input cannot be traced. Inputs: t(a, b, k) and u(k, x).

const INPUTS = [
  { name: 't', columns: ['a', 'b', 'k'] },
  { name: 'u', columns: ['k', 'x'] },
];

type Want = { t: string[] | RegExp; u?: string[] | RegExp };

const CASES: [string, string, string[], Want][] = [
  ['filter: every column passes through', 'select * from t where b > 1', ['a', 'b', 'k'], { t: ['a=a', 'b=b', 'k=k'] }],
  ['computed columns are not identity', 'select a, upper(b) as ub, k + 1 as k1 from t', ['a', 'ub', 'k1'], { t: ['a=a'] }],
  ['aliases keep identity', 'select a as id, q.k from t as q', ['id', 'k'], { t: ['id=a', 'k=k'] }],
  ['inner join ON: both keys equal the output key', 'select t.k, t.a, u.x from t join u on t.k = u.k', ['k', 'a', 'x'], { t: ['k=k', 'a=a'], u: ['k=k', 'x=x'] }],
  ['left join USING: the right key equals the left one', 'select k, a from t left join u using (k)', ['k', 'a'], { t: ['k=k', 'a=a'], u: ['k=k'] }],
  ['WHERE equality joins too', 'select t.a, u.x from t, u where t.k = u.k and t.b = 2', ['a', 'x'], { t: ['a=a'], u: ['x=x'] }],
  ['transitive equalities', 'select t.k from t join u on t.k = u.k join u as v on v.k = u.k', ['k'], { t: ['k=k'], u: ['k=k'] }],
  ['group by: the keys restrict, aggregates do not', 'select k, sum(a) as s, max(b) as m from t group by k', ['k', 's', 'm'], { t: ['k=k'] }],
  ['group by all', 'select k, count(*) as n from t group by all', ['k', 'n'], { t: ['k=k'] }],
  ['aggregate without group by: untraceable', 'select sum(a) as s from t', ['s'], { t: /an aggregate over every row/, u: /an aggregate over every row/ }],
  ['union all: each side by its own column', 'select k, a from t union all select k, x from u', ['k', 'a'], { t: ['k=k', 'a=a'], u: ['k=k', 'a=x'] }],
  ['except: the right side only removes rows', 'select k from t except select k from u', ['k'], { t: ['k=k'], u: /no column of "u" reaches/ }],
  ['window over the whole table: untraceable', 'select a, row_number() over (order by b) as rn from t', ['a', 'rn'], { t: /a window over the whole table \(row_number\(\) without PARTITION BY\)/, u: /a window over the whole table/ }],
  ['window with PARTITION BY: only the partition key restricts', 'select k, a, sum(a) over (partition by k) as s from t', ['k', 'a', 's'], { t: ['k=k'] }],
  ['cross join: the other side is read whole', 'select t.a, u.x from t cross join u', ['a', 'x'], { t: ['a=a'], u: ['x=x'] }],
  ['cross join with only one side shown', 'select t.k, count(*) as n from t cross join u group by t.k', ['k', 'n'], { t: ['k=k'], u: /no column of "u" reaches/ }],
  ['CTE with a group key, joined back', 'with g as (select k, max(a) as top from t group by k) select u.x, g.k, g.top from u join g using (k)', ['x', 'k', 'top'], { t: ['k=k'], u: ['x=x', 'k=k'] }],
  ['subquery in FROM', 'select s.k, s.n from (select k, count(*) as n from u group by k) as s', ['k', 'n'], { t: /no column of "t" reaches/, u: ['k=k'] }],
  ['star exclude keeps the rest', 'select * exclude (b) from t', ['a', 'k'], { t: ['a=a', 'k=k'] }],
  ['star replace: the replaced column is computed', 'select * replace (a * 2 as a) from t', ['a', 'b', 'k'], { t: ['b=b', 'k=k'] }],
];

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await testConnection();
});

const shape = (p: InputTracePlan | undefined) => (p?.untraceable ? p.untraceable : p?.pairs.map((x) => `${x.output}=${x.column}`) ?? []);

describe('the explain tracing plan (identity columns per input)', () => {
  it.each(CASES)('%s', async (_name, sql, own, want) => {
    const [tree] = await parseQueries(conn, [sql]);
    const plan = inputTracePlan({ type: 'query', sql }, tree ?? null, INPUTS, own);
    for (const input of ['t', 'u'] as const) {
      const expected = want[input] ?? /no column of "u" reaches/;
      const got = shape(plan.find((p) => p.input === input));
      if (expected instanceof RegExp) expect(got, input).toMatch(expected);
      else expect(got, input).toEqual(expected);
    }
  });

  it('a check passes its first input through, column for column; a relationship target is not traced', () => {
    const plan = inputTracePlan({ type: 'pass', input: 0 }, null, INPUTS, ['a', 'b', 'k']);
    expect(shape(plan[0])).toEqual(['a=a', 'b=b', 'k=k']);
    expect(shape(plan[1])).toMatch(/only compared against/);
  });

  it('a source has no input; a kind Weir does not know is untraceable with its reason', () => {
    expect(inputTracePlan({ type: 'origin', origin: 'data/x.csv' }, null, [], ['a'])).toEqual([]);
    expect(shape(inputTracePlan({ type: 'unknown', reason: 'node kind "x" is not known' }, null, INPUTS, ['a'])[0])).toBe('node kind "x" is not known');
  });

  it('columns that cannot be lined up with the bound ones trace nothing', async () => {
    const [tree] = await parseQueries(conn, ['select a from t']);
    expect(shape(inputTracePlan({ type: 'query', sql: '' }, tree ?? null, INPUTS, ['a', 'extra'])[0])).toMatch(/could not be lined up/);
  });
});
