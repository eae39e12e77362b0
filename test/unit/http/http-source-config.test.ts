import { describe, expect, it } from 'vitest';
import { durationMs, httpSourceConfig, httpSourceKind } from '../../../shared/nodes/http-source';
import { KeysetPager } from '../../../src-main/engine/http/keyset';
import { secretPolicyProblem } from '../../../src-main/engine/nodes/http-source/secret-policy';

const keyset = { type: 'keyset' as const, field: 'date', param: 'find[date][$lte]', operator: 'lte' as const, key: ['_id'], size_param: 'count', size: 3 };

describe('http_source config', () => {
  const parse = (c: Record<string, unknown>) => httpSourceConfig.safeParse({ connection: 'api', url: 'x', ...c });
  const messages = (c: Record<string, unknown>) => {
    const r = parse(c);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };

  it('takes templates in url, query, headers and body, and names the parameters it reads', () => {
    const c = { url: 'e/{{ params.kind }}.json', query: { since: '{{params.since}}' }, headers: { 'x-a': '{{ params.kind }}' }, body: { n: '{{ params.n }}' } };
    expect(messages(c)).toEqual([]);
    expect(httpSourceKind.params!(httpSourceConfig.parse({ connection: 'api', ...c }))).toEqual(['kind', 'n', 'since']);
  });

  it('refuses what is not a template, and {{ input.x }} without its for_each', () => {
    expect(messages({ query: { a: '{{ env.HOME }}' } })).toEqual(['"{{ env.HOME }}" is not a template: expected {{ params.name }} or {{ input.column }}']);
    expect(messages({ url: 'd/{{ input.device }}' })).toEqual(['{{ input.device }} needs for_each (one request per value of an input column)']);
    expect(messages({ url: 'd/{{ input.device }}', for_each: { column: 'id' } })).toEqual(['{{ input.device }} names another column than for_each.column "id"']);
    expect(messages({ url: 'd/{{ input.device }}', for_each: { column: 'device' } })).toEqual([]);
  });

  it('needs a key for an inclusive keyset, and a duration for cache_for', () => {
    expect(messages({ pagination: { ...keyset, key: undefined } })[0]).toMatch(/^an inclusive keyset \(lte, gte\) needs a key/);
    expect(messages({ pagination: { ...keyset, operator: 'lt', key: undefined } })).toEqual([]);
    expect(messages({ cache_for: 'soon' })).toEqual(['expected a duration such as 30s, 15m, 12h or 7d']);
    expect([durationMs('30s'), durationMs('15m'), durationMs('2h'), durationMs('1d'), durationMs('1w')]).toEqual([30_000, 900_000, 7_200_000, 86_400_000, null]);
  });

  it('keeps derived secrets under the same rule as ${env:...}: only through a connection, never in an absolute url', () => {
    const bare = httpSourceConfig.parse({ url: 'https://elsewhere.example/x', headers: { 'x-k': '${sha1:env:AWS_SECRET_ACCESS_KEY}' } });
    expect(secretPolicyProblem(bare)).toMatch(/^\$\{env:\.\.\.\} may be used only through a connection/);
    const absolute = httpSourceConfig.parse({ connection: 'api', url: 'https://elsewhere.example/${base64:env:KEY}' });
    expect(secretPolicyProblem(absolute)).toMatch(/must be a path relative to the connection's base_url$/);
    expect(secretPolicyProblem(httpSourceConfig.parse({ connection: 'api', url: 'x', headers: { 'x-k': '${sha1:env:KEY}' } }))).toBeNull();
  });

  it('compiles only with the inputs for_each asks for', () => {
    const plain = httpSourceConfig.parse({ connection: 'api', url: 'x' });
    const each = httpSourceConfig.parse({ connection: 'api', url: 'x/{{ input.id }}', for_each: { column: 'id' } });
    expect(httpSourceKind.compile(plain, { nodeName: 's', inputNames: [], fanOut: 1 }).statements[0]).toBe('-- GET api:x (pagination: none), records landed as NDJSON');
    expect(httpSourceKind.compile(each, { nodeName: 's', inputNames: ['ids'], fanOut: 1 }).statements[0]).toBe('-- GET api:x/{{ input.id }} (pagination: none, once per value of ids.id), records landed as NDJSON');
    expect(() => httpSourceKind.compile(each, { nodeName: 's', inputNames: [], fanOut: 1 })).toThrow('for_each takes the values of one input');
    expect(() => httpSourceKind.compile(plain, { nodeName: 's', inputNames: ['ids'], fanOut: 1 })).toThrow('with an input it needs for_each');
  });
});

describe('KeysetPager', () => {
  const r = (id: string, date: number) => ({ _id: id, date });

  it('asks the boundary again and drops what was read there', () => {
    const p = new KeysetPager(keyset, 'node "x"');
    const page1 = [r('a', 9), r('b', 8), r('c', 7)];
    expect(p.fresh(page1, 'u')).toEqual(page1);
    expect(p.next(page1, 'u')).toBe(7);
    const page2 = [r('c', 7), r('d', 7), r('e', 6)];
    expect(p.fresh(page2, 'u')).toEqual([r('d', 7), r('e', 6)]);
    expect(p.next(page2, 'u')).toBe(6);
    // Short: the end.
    expect(p.next([r('e', 6)], 'u')).toBeNull();
  });

  it('fails on a page that cannot move on, a missing value, and a record beyond the boundary', () => {
    const p = new KeysetPager(keyset, 'node "x"');
    p.next([r('a', 9), r('b', 8), r('c', 7)], 'u');
    expect(() => p.next([r('c', 7), r('d', 7), r('e', 7)], 'u2')).toThrow('every record of u2 has date = 7, so the next page would be this one again');
    expect(() => new KeysetPager(keyset, 'x').next([r('a', 3), r('b', 2), { _id: 'c' }], 'u3')).toThrow('the last record of u3 (a full page of 3) has no date');
    expect(() => p.fresh([r('z', 10)], 'u4')).toThrow('u4 answered a record with date = 10, not lte 7: the API does not seem to take "find[date][$lte]"');
  });
});
