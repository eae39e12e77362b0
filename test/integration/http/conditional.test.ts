import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePipeline } from '../../../shared/pipeline/parse';
import { previewNode } from '../../support/engine';
import { nightscoutEntries, startNightscout, T0, type NightscoutServer } from '../../support/nightscout-server';
import { lookup, nightscoutWorkspace, runFile, writePipeline } from './support';

const SECRET = 'ns-secret-7d41c0-not-for-logs';

const keyset = (extra: Record<string, unknown> = {}) => ({
  url: 'entries.json',
  pagination: { type: 'keyset', field: 'date', param: 'find[date][$lte]', operator: 'lte', key: ['_id'], size_param: 'count', size: 500 },
  ...extra,
});

/** entries → a daily summary (a SQL view) → a CSV. */
const summary = [{ id: 'daily', name: 'daily', kind: 'sql', inputs: ['src'], config: { sql: ["select strftime(to_timestamp(date / 1000), '%Y-%m-%d') as day, count(*) as n, avg(sgv) as mean_sgv from entries group by all"] } }];

describe.each(['etag', 'last-modified'] as const)('conditional re-fetch with %s', (validators) => {
  let api: NightscoutServer;
  let ws: string;

  beforeAll(async () => {
    api = await startNightscout({ secret: SECRET, entries: nightscoutEntries(1500), validators });
    ws = nightscoutWorkspace(api.base, `weir-conditional-${validators}-`);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('a re-run asks once per page, gets 304s, and does no work downstream', async () => {
    const file = writePipeline(ws, 'glucose', { source: keyset(), more: summary, orderBy: ['day'] });
    const first = await runFile(ws, file, { useCache: true });
    expect(first.out.error?.message ?? null).toBeNull();
    const pages = api.seen.length;
    // 1500 readings in pages of 500: three full pages, then the boundary again.
    expect(pages).toBe(4);
    const csv = readFileSync(join(ws, 'glucose.csv'), 'utf8');

    api.reset();
    const again = await runFile(ws, file, { useCache: true });
    expect(again.out.error?.message ?? null).toBeNull();
    expect(api.seen).toHaveLength(pages);
    expect(api.statuses).toEqual(Array(pages).fill(304));
    const header = validators === 'etag' ? 'if-none-match' : 'if-modified-since';
    expect(api.seen.every((r) => typeof r.headers[header] === 'string')).toBe(true);
    // The source's pages came from the page cache, and nothing was computed again.
    for (const n of again.out.record.nodes) expect([n.name, n.cached]).toEqual([n.name, true]);
    const source = again.out.record.nodes.find((n) => n.name === 'entries')!;
    expect(source.cacheKey).toBe(first.out.record.nodes.find((n) => n.name === 'entries')!.cacheKey);
    expect(readFileSync(join(ws, 'glucose.csv'), 'utf8')).toBe(csv);
  });

  it('a change at the API is fetched and computed again', async () => {
    const file = writePipeline(ws, 'changed', { source: keyset(), more: summary, orderBy: ['day'] });
    await runFile(ws, file, { useCache: true });
    const newest = T0 + 10 * 86_400_000;
    api.entries.push({ ...api.entries[0]!, _id: 'e900000', date: newest, dateString: new Date(newest).toISOString(), sgv: 999 });
    try {
      api.reset();
      const { out, lines } = await runFile(ws, file, { useCache: true });
      expect(out.error?.message ?? null).toBeNull();
      expect(api.statuses).toContain(200);
      expect(out.record.nodes.find((n) => n.name === 'entries')!.cached).toBe(false);
      expect(out.record.nodes.find((n) => n.name === 'daily')!.cached).toBe(false);
      expect(lines.at(-1)).toMatch(/^2026-01-11,1,999/);
    } finally {
      api.entries.pop();
    }
  });

  it('--no-cache asks for everything, unconditionally', async () => {
    const file = writePipeline(ws, 'nocache', { source: keyset() });
    await runFile(ws, file, { useCache: true });
    api.reset();
    await runFile(ws, file, { useCache: false });
    expect(api.statuses).toEqual([200, 200, 200, 200]);
    expect(api.seen.some((r) => r.headers['if-none-match'] || r.headers['if-modified-since'])).toBe(false);
  });
});

describe('cache_for, for an API without validators', () => {
  let api: NightscoutServer;
  let ws: string;

  beforeAll(async () => {
    api = await startNightscout({ secret: SECRET, entries: nightscoutEntries(1500), validators: 'none' });
    ws = nightscoutWorkspace(api.base, 'weir-cache-for-');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('reuses pages fetched within the window, in runs and previews, but never across environments or credentials', async () => {
    const file = writePipeline(ws, 'windowed', { source: keyset({ cache_for: '10m' }), more: summary, orderBy: ['day'] });
    await runFile(ws, file, { useCache: true });
    expect(api.seen).toHaveLength(4);

    api.reset();
    const again = await runFile(ws, file, { useCache: true });
    expect(api.seen).toHaveLength(0);
    expect(again.out.record.nodes.every((n) => n.cached)).toBe(true);
    expect(again.out.record.nodes.find((n) => n.name === 'entries')!.inputs!.every((i) => i.cacheHit)).toBe(true);

    // A preview of the source reads the same pages.
    const { pipeline } = parsePipeline(readFileSync(file, 'utf8'), file);
    const preview = await previewNode({ pipeline, file, nodeId: 'src', secrets: lookup, limit: 5 });
    expect(preview.rows).toHaveLength(5);
    expect(api.seen).toHaveLength(0);

    // Another environment (the same connection there) asks again.
    const prod = await runFile(ws, file, { useCache: true, environment: 'prod' });
    expect(prod.out.error?.message ?? null).toBeNull();
    expect(api.seen).toHaveLength(4);

    // Other credentials never get what these fetched: the API is asked, and refuses them.
    api.reset();
    const wrong = await runFile(ws, file, { useCache: true, secret: 'ns-another-secret-00' });
    expect(wrong.out.status).toBe('failed');
    expect(wrong.out.error!.message).toMatch(/answered 401 Unauthorized/);
    expect(api.seen.length).toBeGreaterThan(0);
  });
});
