import { describe, expect, it } from 'vitest';
import { aliasKeyAt, isSignificant, walkTableRefs, type TableRefRole } from '../../../../shared/pipeline/sql-table-refs';
import { tokenizeSql } from '../../../../shared/pipeline/sql-tokens';

/** Every step of the walk as `role:name`, and whether a table is expected at the end. */
function walk(sql: string) {
  const sig = tokenizeSql(sql).filter(isSignificant);
  const steps: string[] = [];
  const end = walkTableRefs(sig, ({ role, name }) => {
    steps.push(`${role}:${name}`);
  });
  return { steps, expectTable: end.expectTable };
}

const ofRole = (sql: string, role: TableRefRole) =>
  walk(sql)
    .steps.filter((s) => s.startsWith(`${role}:`))
    .map((s) => s.slice(role.length + 1));

describe('walkTableRefs', () => {
  it('marks the names after FROM, JOIN and the commas of a FROM list as tables, and nothing else', () => {
    expect(walk('select a, b.c from t1, "T2" x join t3 on t3.k = x.k where a > 1, d')).toEqual({
      steps: ['name:a', 'name:b', 'name:c', 'table:t1', 'table:t2', 'name:x', 'table:t3', 'name:t3', 'name:k', 'name:x', 'name:k', 'name:a', 'name:d'],
      expectTable: false,
    });
  });

  it('marks the single table after TABLE, DESCRIBE, SUMMARIZE, UPDATE and INTO', () => {
    expect(ofRole('describe a; summarize b; table c; update d set x = 1; insert into e select 1', 'table')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('gives a parenthesis its own frame: a subquery has its FROM list, the outer list resumes after it', () => {
    expect(ofRole('select * from (select * from inner_t where x in (1, 2)) s, outer_t', 'table')).toEqual(['inner_t', 'outer_t']);
    // Inside a function call the comma is not a FROM list comma.
    expect(ofRole('select * from t where f(a, b)', 'table')).toEqual(['t']);
  });

  it('keeps the FROM list open across ON / USING, closes it at the next clause', () => {
    expect(ofRole('from a join b using (k), c join d on a.k = d.k, e', 'table')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ofRole('from a where x, y', 'table')).toEqual(['a']);
  });

  it('names CTEs, with column lists and MATERIALIZED, and tells AS apart', () => {
    expect(ofRole('with recursive r (n) as not materialized (select 1), s as (select 2) select * from r', 'cte')).toEqual(['r', 's']);
    expect(walk('from t as a').steps).toEqual(['table:t', 'as:as', 'name:a']);
  });

  it('says a table is expected at the end of an unfinished statement', () => {
    expect(walk('select * from ').expectTable).toBe(true);
    expect(walk('select * from t, ').expectTable).toBe(true);
    expect(walk('select * from t ').expectTable).toBe(false);
    expect(walk('select * from (select 1) x join ').expectTable).toBe(true);
  });

  it('continues after the last token a visitor consumed', () => {
    const sig = tokenizeSql('from main.t x').filter(isSignificant);
    const seen: string[] = [];
    walkTableRefs(sig, ({ k, role, name }) => {
      seen.push(`${role}:${name}`);
      if (role === 'table') return k + 2; // main . t
    });
    expect(seen).toEqual(['table:main', 'name:x']);
  });
});

describe('aliasKeyAt', () => {
  it('reads a word or quoted name, but not a listed keyword or punctuation', () => {
    const sig = tokenizeSql('x "My Alias" where , ').filter(isSignificant);
    const notAlias = new Set(['where']);
    expect([0, 1, 2, 3, 4].map((k) => aliasKeyAt(sig, k, notAlias))).toEqual(['x', 'my alias', null, null, null]);
  });
});
