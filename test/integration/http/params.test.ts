import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type TestHttpServer } from '../../support/http-server';
import { nightscoutEntries, startNightscout, T0, type NightscoutServer } from '../../support/nightscout-server';
import { nightscoutWorkspace, runFile, SECRET, writePipeline } from './support';

const DAY = 86_400_000;

describe('pipeline parameters in requests', () => {
  let api: NightscoutServer;
  let echo: TestHttpServer;
  let ws: string;
  let echoWs: string;

  beforeAll(async () => {
    api = await startNightscout({ secret: SECRET, entries: nightscoutEntries(3 * 288 * 4) }); // four days
    ws = nightscoutWorkspace(api.base, 'weir-params-');
    // Answers the JSON body it was sent, as one record.
    echo = await startHttpServer((req) => ({ body: [{ _id: 'echo', path: req.url.pathname, body: req.body }] }));
    echoWs = nightscoutWorkspace(echo.url, 'weir-params-echo-');
  });
  afterAll(async () => {
    await api?.close();
    await echo?.close();
  });

  const since = (ms: number) => new Date(ms).toISOString();
  const source = {
    url: '{{ params.collection }}.json',
    query: { 'find[dateString][$gte]': '{{ params.since }}' },
    pagination: { type: 'keyset', field: 'date', param: 'find[date][$lte]', operator: 'lte', key: ['_id'], size_param: 'count', size: 1000 },
  };
  const params = { since: { type: 'string', default: since(T0) }, collection: { type: 'string', default: 'entries' } };

  it('fills {{ params.name }} into the url and query, and records the values in clear', async () => {
    const file = writePipeline(ws, 'since', { source, params });
    const from = since(T0 + 2 * DAY);
    api.reset();
    const { out, lines } = await runFile(ws, file, { params: { since: from } });
    expect(out.error?.message ?? null).toBeNull();
    expect(lines.length - 1).toBe(api.entries.filter((e) => e.dateString >= from).length);
    expect(out.record.params).toEqual({ since: from, collection: 'entries' });
    const node = out.record.nodes.find((n) => n.name === 'entries')!;
    // What was fetched is in the record as it was asked, not masked.
    for (const input of node.inputs!) {
      const u = new URL(input.uri);
      expect(u.pathname).toBe('/api/v1/entries.json');
      expect(u.searchParams.get('find[dateString][$gte]')).toBe(from);
    }
    expect(api.seen.every((r) => r.url.searchParams.get('find[dateString][$gte]') === from)).toBe(true);
  });

  it('makes the parameters part of the cache key', async () => {
    const file = writePipeline(ws, 'keyed', { source, params });
    const key = async (p: Record<string, string>) => {
      const { out } = await runFile(ws, file, { params: p, useCache: true, name: 'keyed' });
      expect(out.error?.message ?? null).toBeNull();
      const node = out.record.nodes.find((n) => n.name === 'entries')!;
      return { key: node.cacheKey, cached: node.cached };
    };
    const a = await key({ since: since(T0 + 3 * DAY) });
    const b = await key({ since: since(T0 + 3 * DAY + 3_600_000) });
    const again = await key({ since: since(T0 + 3 * DAY) });
    expect(a.key).toMatch(/^[0-9a-f]{64}$/);
    expect(b.key).not.toBe(a.key);
    // The same value, and the API answered the same: served from the node cache.
    expect(again).toEqual({ key: a.key, cached: true });
  });

  it('puts a whole-template body string with its type, and a parameter is never read as a secret reference', async () => {
    const file = writePipeline(echoWs, 'body', {
      source: { url: 'search/{{ params.collection }}', method: 'POST', body: { count: '{{ params.count }}', note: 'since {{ params.since }}' } },
      params: { ...params, count: { type: 'integer', default: 5 } },
    });
    const { out, lines } = await runFile(echoWs, file, { params: { since: '${env:NS_SECRET}', collection: '..%2F' } });
    expect(out.error?.message ?? null).toBeNull();
    const sent = echo.seen.at(-1)!;
    expect(JSON.parse(sent.body)).toEqual({ count: 5, note: 'since ${env:NS_SECRET}' });
    expect(sent.body).not.toContain(SECRET);
    // Percent-encoded where it lands in the path: it cannot climb out of it.
    expect(sent.url.pathname).toBe('/search/..%252F');
    expect(lines).toHaveLength(2);
  });

  it('refuses a template naming no parameter before anything is asked', async () => {
    const file = writePipeline(ws, 'unknown', { source: { ...source, query: { 'find[dateString][$gte]': '{{ params.sinse }}' } }, params });
    api.reset();
    await expect(runFile(ws, file)).rejects.toThrow(`${file}: http_source "entries", Settings: {{ params.sinse }} names no parameter of the pipeline (parameters: since, collection)`);
    expect(api.seen).toHaveLength(0);
  });
});
