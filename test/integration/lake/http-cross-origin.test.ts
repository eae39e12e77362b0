import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPipelineFile } from '../../support/engine';
import { startHttpServer, type HttpReply, type SeenRequest, type TestHttpServer } from '../../support/http-server';
import { tempDir } from '../../support/temp-dir';

// Credentials in every form an http source sends them: a custom header, a bearer token, a
// secret query value, and user info (sent as Basic auth).
const API_KEY = 'key-0c1d2e-header';
const BEARER = 'bearer-77aa91-token';
const QUERY_TOKEN = 'qtok-5b6c7d-query';
const USER = 'robot-3e4f';
const PASSWORD = 'pw-9a8b7c-userinfo';
const PLANTED = [API_KEY, BEARER, QUERY_TOKEN, USER, PASSWORD, Buffer.from(`${USER}:${PASSWORD}`).toString('base64')];

/**
 * Two origins on loopback (two ports): the API the connection names, and another server it
 * points to through next_url, a Link header or a redirect. The other server records what it
 * got: none of the connection's credentials may be in it.
 */
describe('http_source credentials stay with their origin', () => {
  let home: TestHttpServer;
  let other: TestHttpServer;
  let ws: string;

  const authorized = (r: SeenRequest) =>
    r.headers['x-api-key'] === API_KEY && r.headers.authorization === `Bearer ${BEARER}` && r.url.searchParams.get('token') === QUERY_TOKEN;

  beforeAll(async () => {
    other = await startHttpServer((req): HttpReply => {
      if (req.url.pathname === '/page2') return { body: { items: [{ id: 2 }], next: null } };
      if (req.url.pathname === '/linked') return { body: [{ id: 2 }] };
      if (req.url.pathname === '/moved') return { body: { items: [{ id: 9 }], next: null } };
      return { status: 404, body: {} };
    });
    home = await startHttpServer((req): HttpReply => {
      if (req.url.pathname === '/basic') {
        const ok = req.headers.authorization === `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
        return ok ? { body: { items: [{ id: 1 }], next: `${other.url}/page2` } } : { status: 401, body: {} };
      }
      if (!authorized(req)) return { status: 401, body: {} };
      switch (req.url.pathname) {
        case '/next-elsewhere':
          return { body: { items: [{ id: 1 }], next: `${other.url}/page2?token=${QUERY_TOKEN}&page=2` } };
        case '/next-home':
          return { body: { items: [{ id: 1 }], next: `/home-page2?token=${QUERY_TOKEN}` } };
        case '/home-page2':
          return { body: { items: [{ id: 2 }], next: null } };
        case '/link-elsewhere':
          return { headers: { link: `<${other.url}/linked>; rel="next"` }, body: [{ id: 1 }] };
        case '/redirect-elsewhere':
          return { status: 302, headers: { location: `${other.url}/moved` }, body: {} };
        case '/redirect-home':
          return { status: 307, headers: { location: `/home-page2?token=${QUERY_TOKEN}` }, body: {} };
        default:
          return { status: 404, body: {} };
      }
    });
    ws = tempDir('weir-http-origin-');
    const api = (crossOrigin?: string) => ({
      kind: 'http',
      base_url: home.url,
      headers: { 'x-api-key': '${env:ORIGIN_API_KEY}', authorization: 'Bearer ${env:ORIGIN_BEARER}' },
      ...(crossOrigin ? { cross_origin: crossOrigin } : {}),
    });
    const environments = {
      dev: { connections: { api: api() } },
      lenient: { connections: { api: api('without_credentials') } },
      userinfo: { connections: { api: { kind: 'http', base_url: `http://\${env:ORIGIN_USER}:\${env:ORIGIN_PASSWORD}@${home.url.slice('http://'.length)}`, cross_origin: 'without_credentials' } } },
    };
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments }));
  });
  afterAll(async () => {
    await home?.close();
    await other?.close();
  });
  beforeEach(() => {
    home.seen.length = 0;
    other.seen.length = 0;
  });

  const secrets = (n: string) =>
    ({ ORIGIN_API_KEY: API_KEY, ORIGIN_BEARER: BEARER, ORIGIN_QUERY_TOKEN: QUERY_TOKEN, ORIGIN_USER: USER, ORIGIN_PASSWORD: PASSWORD })[n];

  async function run(name: string, source: Record<string, unknown>, environment = 'dev') {
    const file = join(ws, `${name}.weir.json`);
    const config = { connection: 'api', query: { token: '${env:ORIGIN_QUERY_TOKEN}' }, retries: 0, ...source };
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir.pipeline',
        version: 1,
        name,
        nodes: [{ id: 'src', name: 'rows', kind: 'http_source', inputs: [], config }],
      }),
    );
    return runPipelineFile({ file, environment, secrets, useCache: false, recordDir: null });
  }

  /** Nothing the other origin received holds a credential, in any header or the URL. */
  const expectNoCredentials = (seen: SeenRequest[]) => {
    for (const r of seen) {
      const text = `${r.url.href} ${JSON.stringify(r.headers)}`;
      for (const p of PLANTED) expect(text).not.toContain(p);
      expect(r.headers['x-api-key']).toBeUndefined();
      expect(r.headers.authorization).toBeUndefined();
    }
  };

  it('refuses a next_url at another origin by default: nothing is sent there', async () => {
    const out = await run('next_refused', { url: 'next-elsewhere', records_path: 'items', pagination: { type: 'next_url', next_url_path: 'next' } });
    expect(out.status).toBe('failed');
    expect(out.error!.message).toBe(
      `node "rows": connection "api": the next page ${other.url}/page2?token=***&page=2 is at ${other.url}, another origin than ${home.url}: refused, so the connection's credentials stay with it (set "cross_origin": "without_credentials" to follow it without them)`,
    );
    expect(home.seen).toHaveLength(1);
    expect(other.seen).toEqual([]);
  });

  it('follows a next_url at another origin without credentials when the connection says so', async () => {
    const out = await run('next_bare', { url: 'next-elsewhere', records_path: 'items', pagination: { type: 'next_url', next_url_path: 'next' } }, 'lenient');
    expect(out.error?.message ?? null).toBeNull();
    expect(out.record.nodes[0]!.rows).toBe(2);
    expect(other.seen.map((r) => r.url.pathname + r.url.search)).toEqual(['/page2?page=2']);
    expectNoCredentials(other.seen);
  });

  it('keeps the credentials for a next_url at its own origin', async () => {
    const out = await run('next_home', { url: 'next-home', records_path: 'items', pagination: { type: 'next_url', next_url_path: 'next' } });
    expect(out.error?.message ?? null).toBeNull();
    expect(home.seen.map((r) => r.url.pathname)).toEqual(['/next-home', '/home-page2']);
    expect(home.seen.every(authorized)).toBe(true);
  });

  it('a Link header to another origin: refused, or followed without credentials', async () => {
    const refused = await run('link_refused', { url: 'link-elsewhere', pagination: { type: 'link_header' } });
    expect(refused.error!.message).toContain(`the next page ${other.url}/linked is at ${other.url}, another origin than ${home.url}: refused`);
    expect(other.seen).toEqual([]);
    const bare = await run('link_bare', { url: 'link-elsewhere', pagination: { type: 'link_header' } }, 'lenient');
    expect(bare.error?.message ?? null).toBeNull();
    expect(other.seen.map((r) => r.url.pathname)).toEqual(['/linked']);
    expectNoCredentials(other.seen);
  });

  it('a redirect to another origin: refused, or followed without credentials; one at home keeps them', async () => {
    const refused = await run('redirect_refused', { url: 'redirect-elsewhere', records_path: 'items' });
    expect(refused.error!.message).toMatch(new RegExp(`^node "rows": connection "api": the redirect of GET ${home.url}/redirect-elsewhere\\?token=\\*\\*\\* is at ${other.url}, another origin than ${home.url}: refused`));
    expect(other.seen).toEqual([]);

    const bare = await run('redirect_bare', { url: 'redirect-elsewhere', records_path: 'items' }, 'lenient');
    expect(bare.error?.message ?? null).toBeNull();
    expect(other.seen.map((r) => r.url.pathname)).toEqual(['/moved']);
    expectNoCredentials(other.seen);

    home.seen.length = 0;
    const same = await run('redirect_home', { url: 'redirect-home', records_path: 'items' });
    expect(same.error?.message ?? null).toBeNull();
    expect(home.seen.map((r) => r.url.pathname)).toEqual(['/redirect-home', '/home-page2']);
    expect(home.seen.every(authorized)).toBe(true);
  });

  it("refuses a node url at another origin than its connection's, before anything is sent", async () => {
    const out = await run('absolute_elsewhere', { url: `${other.url}/page2`, records_path: 'items' });
    expect(out.error!.message).toContain(`the request is at ${other.url}, another origin than ${home.url}: refused`);
    expect(home.seen).toEqual([]);
    expect(other.seen).toEqual([]);
  });

  it('sends user info as Basic auth to its own origin only', async () => {
    const out = await run('basic', { url: 'basic', query: {}, records_path: 'items', pagination: { type: 'next_url', next_url_path: 'next' } }, 'userinfo');
    expect(out.error?.message ?? null).toBeNull();
    expect(home.seen.map((r) => r.url.pathname)).toEqual(['/basic']);
    expect(other.seen.map((r) => r.url.pathname)).toEqual(['/page2']);
    expectNoCredentials(other.seen);
    // Neither the user nor the password is in what the run recorded.
    const recorded = JSON.stringify(out.record);
    for (const p of PLANTED) expect(recorded).not.toContain(p);
  });
});
