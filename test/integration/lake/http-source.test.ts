import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonPath, valueAt } from '../../../src-main/engine/http/json-path';
import { nextLink } from '../../../src-main/engine/http/link-header';
import { runPipelineFile } from '../../support/engine';
import { startHttpServer, type HttpReply, type TestHttpServer } from '../../support/http-server';
import { tempDir } from '../../support/temp-dir';

/** Continuous glucose monitor readings, as a Nightscout-style API serves them. */
const READINGS = Array.from({ length: 23 }, (_, i) => ({
  _id: `r${String(i).padStart(3, '0')}`,
  sgv: 90 + ((i * 17) % 80),
  direction: i % 3 === 0 ? 'Flat' : 'FortyFiveUp',
  dateString: new Date(Date.UTC(2026, 0, 1, 0, i * 5)).toISOString(),
  ...(i === 20 ? { noise: 1 } : {}), // a field that appears late: the table still gets the column
}));
const SECRET = 'token-5f2c9a-not-for-logs';

describe('http_source against an API on 127.0.0.1', () => {
  let api: TestHttpServer;
  let ws: string;
  const failOnce = new Set<string>();

  beforeAll(async () => {
    api = await startHttpServer((req): HttpReply => {
      if (req.headers['api-secret'] !== SECRET) return { status: 401, body: { message: 'unauthorized' } };
      const q = req.url.searchParams;
      const key = `${req.method} ${req.url.pathname}?${q.toString()}`;
      // Each request marked to fail answers 503 the first time, as a busy server does.
      if (q.get('fail') === 'once' && !failOnce.has(key)) {
        failOnce.add(key);
        return { status: 503, headers: { 'retry-after': '0' }, body: { message: 'busy' } };
      }
      const slice = (from: number, n: number) => READINGS.slice(from, from + n);
      switch (req.url.pathname) {
        case '/api/v1/entries': {
          // page / per_page; page 2 fails once.
          const page = Number(q.get('page'));
          const per = Number(q.get('per_page'));
          if (page === 2 && !failOnce.has('page2')) {
            failOnce.add('page2');
            return { status: 503, body: { message: 'try again' } };
          }
          return { body: { status: 'ok', data: { entries: slice((page - 1) * per, per) } } };
        }
        case '/api/v1/offset':
          return { body: slice(Number(q.get('skip')), Number(q.get('count'))) };
        case '/api/v1/cursor': {
          const from = q.get('after') ? Number(q.get('after')) : 0;
          return { body: { items: slice(from, 10), next: from + 10 < READINGS.length ? String(from + 10) : null } };
        }
        case '/api/v1/link': {
          const from = Number(q.get('from') ?? 0);
          const next = from + 8 < READINGS.length ? `</api/v1/link?from=${from + 8}>; rel="next", </api/v1/link?from=0>; rel="first"` : '</api/v1/link?from=0>; rel="first"';
          return { headers: { link: next }, body: slice(from, 8) };
        }
        case '/api/v1/search':
          // POST with a JSON body; the next page's URL in the body.
          return {
            body: {
              results: READINGS.filter((r) => r.direction === (JSON.parse(req.body) as { direction: string }).direction).slice(Number(q.get('o') ?? 0), Number(q.get('o') ?? 0) + 4),
              links: { next: Number(q.get('o') ?? 0) + 4 < 8 ? `/api/v1/search?o=${Number(q.get('o') ?? 0) + 4}` : null },
            },
          };
        case '/api/v1/always503':
          return { status: 503, body: {} };
        default:
          return { status: 404, body: {} };
      }
    });
    ws = tempDir('weir-http-');
    const environments = { dev: { connections: { cgm: { kind: 'http', base_url: '${env:CGM_URL}', headers: { 'api-secret': '${env:CGM_SECRET}' } } } } };
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments }));
  });
  afterAll(async () => {
    await api?.close();
  });

  const secrets = (name: string) => ({ CGM_URL: `${api.url}/api/v1`, CGM_SECRET: SECRET })[name];

  /** Runs http_source → file_sink (CSV) and returns the run and the CSV's lines. */
  async function run(name: string, source: Record<string, unknown>, opts: { secrets?: (n: string) => string | undefined } = {}) {
    const file = join(ws, `${name}.weir.json`);
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir.pipeline',
        version: 1,
        name,
        nodes: [
          { id: 'src', name: 'readings', kind: 'http_source', inputs: [], config: { connection: 'cgm', retries: 3, ...source } },
          { id: 'out', name: 'out_readings', kind: 'file_sink', inputs: ['src'], config: { path: `${name}.csv`, format: 'csv', order_by: ['_id'] } },
        ],
      }),
    );
    const warnings: string[] = [];
    const out = await runPipelineFile({
      file,
      secrets: opts.secrets ?? secrets,
      useCache: false,
      recordDir: null,
      onEvent: (e) => (e.type === 'node_warning' ? warnings.push(e.message) : undefined),
    });
    const lines = out.status === 'succeeded' ? readFileSync(join(ws, `${name}.csv`), 'utf8').trim().split('\n') : [];
    return { out, lines, warnings };
  }

  const ids = (lines: string[]) => lines.slice(1).map((l) => l.split(',')[0]);

  it('paginates page by page, retries a 503, and lands every record as a table', async () => {
    const { out, lines, warnings } = await run('paged', {
      url: 'entries',
      records_path: 'data.entries',
      pagination: { type: 'page', param: 'page', start: 1, size_param: 'per_page', size: 5 },
    });
    expect(out.error?.message ?? null).toBeNull();
    // 23 records in pages of 5: pages 1-5, the last one short; page 2 asked twice (503, then 200).
    const pages = api.seen.filter((r) => r.url.pathname === '/api/v1/entries').map((r) => r.url.searchParams.get('page'));
    expect(pages).toEqual(['1', '2', '2', '3', '4', '5']);
    // The base URL came whole from ${env:CGM_URL}: a secret, shown by its origin only.
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^connection "cgm": GET ${api.url}/\\*\\*\\*/entries\\?page=2&per_page=5: HTTP 503, retry 1 of 3 in \\d+ ms$`))]);
    expect(lines[0]).toBe('_id,sgv,direction,dateString,noise');
    expect(ids(lines)).toEqual(READINGS.map((r) => r._id));
    const node = out.record.nodes.find((n) => n.name === 'readings')!;
    expect(node.rows).toBe(23);
    expect(node.retries).toBe(1);
    expect(node.inputs!.map((i) => new URL(i.uri).searchParams.get('page'))).toEqual(['1', '2', '3', '4', '5']);
    // The secret went in a header and is nowhere in the record.
    expect(JSON.stringify(out.record)).not.toContain(SECRET);
  });

  it('paginates by offset and limit', async () => {
    const { out, lines } = await run('offset', { url: 'offset', query: { fail: 'once' }, pagination: { type: 'offset', param: 'skip', limit_param: 'count', limit: 10 } });
    expect(out.error?.message ?? null).toBeNull();
    expect(ids(lines)).toEqual(READINGS.map((r) => r._id));
    expect(out.record.nodes[0]!.inputs).toHaveLength(3);
  });

  it('paginates by cursor', async () => {
    const { out, lines } = await run('cursor', { url: 'cursor', records_path: '$.items', pagination: { type: 'cursor', param: 'after', cursor_path: 'next' } });
    expect(out.error?.message ?? null).toBeNull();
    expect(ids(lines)).toEqual(READINGS.map((r) => r._id));
  });

  it('follows Link headers', async () => {
    const { out, lines } = await run('link', { url: 'link', pagination: { type: 'link_header' } });
    expect(out.error?.message ?? null).toBeNull();
    expect(ids(lines)).toEqual(READINGS.map((r) => r._id));
    expect(out.record.nodes[0]!.inputs).toHaveLength(3);
  });

  it('POSTs a JSON body and follows a next URL given in the response', async () => {
    const { out, lines } = await run('search', {
      url: 'search',
      method: 'POST',
      body: { direction: 'Flat' },
      records_path: 'results',
      pagination: { type: 'next_url', next_url_path: 'links.next' },
    });
    expect(out.error?.message ?? null).toBeNull();
    expect(ids(lines)).toEqual(READINGS.filter((r) => r.direction === 'Flat').map((r) => r._id));
  });

  it('gives up after its retries with one line naming the connection', async () => {
    const { out } = await run('down', { url: 'always503', retries: 2 });
    expect(out.status).toBe('failed');
    expect(out.error!.message).toBe(`node "readings": connection "cgm": GET ${api.url}/***/always503 answered 503 Service Unavailable after 2 retries`);
    expect(out.record.nodes[0]!.retries).toBe(2);
    expect(api.seen.filter((r) => r.url.pathname === '/api/v1/always503')).toHaveLength(3);
  });

  it('says so when the credentials are refused, without showing them', async () => {
    const { out } = await run('unauthorized', { url: 'entries' }, { secrets: (n) => (n === 'CGM_SECRET' ? 'wrong' : secrets(n)) });
    expect(out.error!.message).toBe(`node "readings": connection "cgm": GET ${api.url}/***/entries answered 401 Unauthorized (check the credentials in the connection)`);
  });

  it('masks query values that come from secrets', async () => {
    process.env.WEIR_TEST_CGM_TOKEN = SECRET;
    try {
      const { out } = await run('masked', { url: 'entries', query: { token: '${env:WEIR_TEST_CGM_TOKEN}', page: 1, per_page: 50 }, records_path: 'data.entries' });
      expect(out.error?.message ?? null).toBeNull();
      expect(out.record.nodes[0]!.inputs![0]!.uri).toContain('token=***');
      expect(JSON.stringify(out.record)).not.toContain(SECRET);
    } finally {
      delete process.env.WEIR_TEST_CGM_TOKEN;
    }
  });

  it('fails clearly when records_path is not in the response, or there are no records', async () => {
    const wrong = await run('wrongpath', { url: 'cursor', records_path: 'data.items' });
    expect(wrong.out.error!.message).toBe(`node "readings": connection "cgm": records_path "data.items" is not in the response of ${api.url}/***/cursor`);
    const empty = await run('empty', { url: 'offset', query: { skip: 100, count: 10 } });
    expect(empty.out.error!.message).toBe('node "readings": connection "cgm": the API returned no records; set "columns" to get an empty table instead');
    const typed = await run('typed', { url: 'offset', query: { skip: 100, count: 10 }, columns: { _id: 'VARCHAR', sgv: 'INTEGER' } });
    expect(typed.out.error?.message ?? null).toBeNull();
    expect(typed.lines).toEqual(['_id,sgv']);
  });
});

describe('JSON paths and Link headers', () => {
  it('reads dotted, bracketed and $-rooted paths', () => {
    const doc = { data: { 'the items': [{ id: 1 }, { id: 2 }] }, next: 'c2' };
    expect(valueAt(doc, parseJsonPath('$.data["the items"][1].id'))).toBe(2);
    expect(valueAt(doc, parseJsonPath('next'))).toBe('c2');
    expect(valueAt(doc, parseJsonPath('data.none.deeper'))).toBeUndefined();
    expect(() => parseJsonPath('data..x')).toThrow('bad JSON path');
  });

  it('finds rel="next" among several links', () => {
    expect(nextLink('<https://api.example/x?page=1>; rel="first", <https://api.example/x?page=3>; rel="next"')).toBe('https://api.example/x?page=3');
    expect(nextLink('<https://a/x?p=2,3>; rel=next')).toBe('https://a/x?p=2,3');
    expect(nextLink('<https://a/x>; rel="prev"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});
