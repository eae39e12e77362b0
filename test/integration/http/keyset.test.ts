import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type TestHttpServer } from '../../support/http-server';
import { nightscoutEntries, startNightscout, type NightscoutServer } from '../../support/nightscout-server';
import { nightscoutWorkspace, runFile, writePipeline } from './support';

const N = 30_000;

/** Nightscout's paging: newest first, the next page below the last record's date. */
const keyset = (size: number, extra: Record<string, unknown> = {}) => ({
  url: 'entries.json',
  retries: 6,
  pagination: { type: 'keyset', field: 'date', param: 'find[date][$lte]', operator: 'lte', key: ['_id'], size_param: 'count', size, ...extra },
});

describe('keyset pagination against a Nightscout-like API', () => {
  let api: NightscoutServer;
  let ws: string;

  beforeAll(async () => {
    // Three readings share every timestamp, and every 7th request is a 503.
    api = await startNightscout({ secret: 'ns-secret-7d41c0-not-for-logs', entries: nightscoutEntries(N), failEvery: 7 });
    ws = nightscoutWorkspace(api.base);
  });
  afterAll(async () => {
    await api?.close();
  });

  const expectedIds = () => api.entries.map((e) => e._id).sort();
  const ids = (lines: string[]) => lines.slice(1).map((l) => l.split(',')[0]!);

  it('reads every entry once, whatever the page size, though pages end inside groups of equal timestamps', async () => {
    const results: string[][] = [];
    for (const size of [1000, 500, 777]) {
      api.reset();
      const { out, lines, warnings } = await runFile(ws, writePipeline(ws, `keyset_${size}`, { source: keyset(size) }));
      expect(out.error?.message ?? null).toBeNull();
      const got = ids(lines);
      expect(got).toHaveLength(N);
      expect(new Set(got).size).toBe(N);
      expect(got).toEqual(expectedIds());
      results.push(lines);
      // The 503s were retried, each one a warning counted in the record.
      const node = out.record.nodes.find((n) => n.name === 'entries')!;
      expect(node.retries).toBe(api.statuses.filter((s) => s === 503).length);
      expect(node.retries).toBeGreaterThan(0);
      expect(warnings.filter((w) => w.includes('HTTP 503'))).toHaveLength(node.retries!);
      // One page per request that succeeded; every page after the first asks from the last date read.
      const pages = node.inputs!.map((i) => new URL(i.uri).searchParams);
      expect(pages.length).toBe(api.statuses.filter((s) => s === 200).length);
      expect(pages[0]!.get('find[date][$lte]')).toBeNull();
      expect(pages.every((q) => q.get('count') === String(size))).toBe(true);
    }
    // Changing the page size never changes the result, byte for byte.
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('the test data is one a strict $lt loses records on: groups cut by a page boundary', async () => {
    api.reset();
    const { out, lines } = await runFile(ws, writePipeline(ws, 'keyset_strict', { source: keyset(1000, { param: 'find[date][$lt]', operator: 'lt', key: undefined }) }));
    expect(out.error?.message ?? null).toBeNull();
    // 1000 = 3 * 333 + 1: every page ends one record into a group, and the next page skips the other two.
    expect(ids(lines).length).toBe(N - 2 * (Math.ceil(N / 1000) - 1));
  });

  it('fails when a full page brings no new record (more equal values than a page holds)', async () => {
    // Groups of 3 equal timestamps; a page of 2 can never get past one.
    const { out } = await runFile(ws, writePipeline(ws, 'keyset_tiny', { source: keyset(2) }));
    expect(out.status).toBe('failed');
    expect(out.error!.message).toMatch(/every record of .* has date = \d+, so the next page would be this one again: more records share that value than a page of 2 holds \(raise size\)$/);
  });

  it('fails when the API ignores the keyset parameter, instead of looping or duplicating', async () => {
    const { out } = await runFile(ws, writePipeline(ws, 'keyset_ignored', { source: keyset(500, { param: 'find[date][lte]' }) }));
    expect(out.status).toBe('failed');
    expect(out.error!.message).toMatch(/answered a record with date = \d+, not lte \d+: the API does not seem to take "find\[date\]\[lte\]"$/);
  });

  it('fails where a cursor cannot be read from a page that may go on (the index-as-cursor trick of the issue)', async () => {
    // What a user had to write before keyset paging: the 1,000th row's date. With count=500
    // there is no 1,000th row; this used to end the data after one page with exit 0.
    const { out } = await runFile(
      ws,
      writePipeline(ws, 'index_cursor', {
        source: { url: 'entries.json', retries: 6, query: { count: 500 }, pagination: { type: 'cursor', param: 'find[date][$lt]', cursor_path: '[999].date' } },
      }),
    );
    expect(out.status).toBe('failed');
    expect(out.error!.message).toMatch(/cursor_path "\[999\]\.date" is not in the response of .*, a page of 500 records, so where the data goes on is unknown/);
    // Declared, the page size says the same page is full.
    const sized = await runFile(
      ws,
      writePipeline(ws, 'index_cursor_sized', {
        source: { url: 'entries.json', retries: 6, pagination: { type: 'cursor', param: 'find[date][$lt]', cursor_path: '[999].date', size_param: 'count', size: 500 } },
      }),
    );
    expect(sized.out.error!.message).toMatch(/a full page of 500 records, so where the data goes on is unknown$/);
  });
});

describe('declared page sizes are checked', () => {
  let api: TestHttpServer;
  let ws: string;

  beforeAll(async () => {
    // An API that ignores every size parameter and answers 20 records a page, 3 pages.
    api = await startHttpServer((req) => {
      const page = Number(req.url.searchParams.get('page') ?? 1);
      const rows = page <= 3 ? Array.from({ length: 20 }, (_, i) => ({ _id: `p${page}-${i}` })) : [];
      return { body: { rows, next: page < 3 ? `/x?page=${page + 1}` : null } };
    });
    ws = nightscoutWorkspace(`${api.url}`, 'weir-sizes-');
  });
  afterAll(async () => {
    await api?.close();
  });

  it.each([
    ['page', { type: 'page', param: 'page', size_param: 'per_page', size: 10 }],
    ['offset', { type: 'offset', param: 'skip', limit_param: 'limit', limit: 10 }],
    ['next_url', { type: 'next_url', next_url_path: 'next', size: 10 }],
  ])('a %s page with more records than its size fails the node', async (type, pagination) => {
    const { out } = await runFile(ws, writePipeline(ws, `too_many_${type}`, { source: { url: 'x', records_path: 'rows', retries: 0, pagination } }));
    expect(out.status).toBe('failed');
    expect(out.error!.message).toMatch(/answered 20 records, more than the page size 10: /);
  });

  it('a size that fits reads every page', async () => {
    const { out, lines } = await runFile(ws, writePipeline(ws, 'fits', { source: { url: 'x', records_path: 'rows', retries: 0, pagination: { type: 'next_url', next_url_path: 'next', size: 20 } } }));
    expect(out.error?.message ?? null).toBeNull();
    expect(lines).toHaveLength(61);
  });
});
