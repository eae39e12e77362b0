import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { startBrowserShell } from '../../../src-main/server/browser-shell';
import { bodyLimit, LARGE_BODY, SMALL_BODY } from '../../../src-main/server/request-body';
import { sendBigBody } from '../../support/big-body';
import { samplePipeline } from '../api/fixture';

let base: string;
let shell: Awaited<ReturnType<typeof startBrowserShell>>;
let root: string;
/** The links the server asked to show the user (weir serve prints them). */
const shown: string[] = [];
/** `Cookie:` header of a signed-in client. */
let cookie: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'weir-server-'));
  const renderer = join(base, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Weir test page</title>');
  await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(base, 'secret.txt'), 'do not serve');
  root = join(base, 'ws');
  await mkdir(join(root, 'pipelines'), { recursive: true });
  await writeFile(join(root, 'pipelines', 'release.weir.json'), serializePipeline(samplePipeline()));
  shell = await startBrowserShell({ port: 0, home: join(base, 'home'), rendererDir: renderer, templatesDir: null, onNewLaunchUrl: (u) => shown.push(u) });
  cookie = await signIn(shell.newLaunchUrl());
});

afterAll(async () => {
  await shell?.close();
  await rm(base, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(method: string, path: string, opts: { cookie?: string; body?: unknown; host?: string; origin?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.cookie !== undefined) headers.cookie = opts.cookie;
    if (opts.host) headers.host = opts.host;
    if (opts.origin) headers.origin = opts.origin;
    const req = request({ host: '127.0.0.1', port: shell.port, method, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(JSON.stringify(opts.body));
    req.end();
  });
}

const codeOf = (launchUrl: string) => /#launch=([\w-]+)$/.exec(launchUrl)![1]!;

/** Exchanges a launch link's code as the page does; returns the `Cookie:` header to send. */
async function signIn(launchUrl: string): Promise<string> {
  const r = await http('POST', '/launch', { body: { code: codeOf(launchUrl) } });
  expect(r.status).toBe(204);
  const set = String(r.headers['set-cookie']);
  return set.split(';')[0]!;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('the browser shell', () => {
  it('listens on the loopback address only', async () => {
    expect(shell.url).toBe(`http://127.0.0.1:${shell.port}/`);
    expect(await canConnect('127.0.0.1', shell.port)).toBe(true);
    // Not on IPv6 loopback, nor on any other address of this machine.
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of ['::1', ...others]) expect(await canConnect(address, shell.port), address).toBe(false);
  });

  it('answers 401 to every /api/ request without a session, before routing', async () => {
    const value = cookie.split('=')[1]!;
    const wrong = `${cookie.split('=')[0]}=${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`;
    for (const [method, path, c] of [
      ['POST', '/api/app.start', undefined],
      ['POST', '/api/app.start', wrong],
      ['POST', '/api/app.start', `${cookie.split('=')[0]}=`],
      // The session of a server on another port is not this one's.
      ['POST', '/api/app.start', `weir_session_1=${value}`],
      ['POST', '/api/no.such.method', undefined],
      ['GET', '/api/app.start', undefined],
      ['DELETE', '/api/', undefined],
      ['POST', '/api', undefined],
    ] as const) {
      const r = await http(method, path, { cookie: c, body: {} });
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: { kind: 'usage', message: 'no session: open the one-time link that weir serve printed in its terminal' } });
    }
  });

  it('serves the API contract to a signed-in client', async () => {
    const ok = await http('POST', '/api/workspace.open', { cookie, body: { root } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, result: { root, pipelines: [{ path: 'pipelines/release.weir.json' }] } });
    const bad = await http('POST', '/api/workspace.open', { cookie, body: { root: 'relative' } });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { kind: 'usage' } });
    expect((await http('POST', '/api/no.such.method', { cookie, body: {} })).status).toBe(404);
    expect((await http('GET', '/api/app.start', { cookie })).status).toBe(405);
  });

  it('refuses a request naming another host (DNS rebinding)', async () => {
    const r = await http('POST', '/api/app.start', { cookie, body: {}, host: `evil.example:${shell.port}` });
    expect(r.status).toBe(421);
  });

  it('serves the built renderer with a strict CSP, and nothing outside it', async () => {
    const index = await http('GET', '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('Weir test page');
    expect(index.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self';/);
    expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await http('GET', '/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await http('GET', '/some/route')).body).toContain('Weir test page');
    expect((await http('GET', '/assets/missing.js')).status).toBe(404);
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const r = await http('GET', p);
      expect(r.body, p).not.toContain('do not serve');
    }
  });

  it('streams events on the WebSocket only with a session, and only to its own page', async () => {
    const wsUrl = `ws://127.0.0.1:${shell.port}/api/events`;
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(refused).toBe(401);
    const foreign = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl, { headers: { cookie }, origin: 'http://127.0.0.1:1' });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(foreign).toBe(403);

    await http('POST', '/api/workspace.open', { cookie, body: { root } });
    const ws = new WebSocket(wsUrl, { headers: { cookie }, origin: `http://127.0.0.1:${shell.port}` });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const received: { event: string; payload: { event: { type: string } } }[] = [];
    ws.on('message', (m) => received.push(JSON.parse(String(m))));
    const started = await http('POST', '/api/pipeline.run', { cookie, body: { root, path: 'pipelines/release.weir.json' } });
    expect(JSON.parse(started.body)).toMatchObject({ ok: true, result: { runId: expect.any(String) } });
    for (let i = 0; i < 400 && !received.some((m) => m.payload.event.type === 'run_finished'); i++) await new Promise((r) => setTimeout(r, 25));
    ws.close();
    expect(received[0]).toMatchObject({ event: 'run.event', payload: { path: 'pipelines/release.weir.json', event: { type: 'run_started' } } });
    expect(received.at(-1)?.payload.event).toMatchObject({ type: 'run_finished', status: 'succeeded' });
  });
});

describe('launch codes and sessions', () => {
  it('a launch code signs one browser in once: an HttpOnly, SameSite=Strict cookie; the second use is refused', async () => {
    const link = shell.newLaunchUrl();
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${shell.port}/#launch=[\\w-]{43}$`));
    const first = await http('POST', '/launch', { body: { code: codeOf(link) } });
    expect(first.status).toBe(204);
    const set = String(first.headers['set-cookie']);
    expect(set).toMatch(new RegExp(`^weir_session_${shell.port}=[\\w-]{43}; Path=/; HttpOnly; SameSite=Strict$`));
    // The session is not the code: nothing in the link is a session.
    expect(set).not.toContain(codeOf(link));
    expect((await http('POST', '/api/workspace.recent', { cookie: set.split(';')[0], body: {} })).status).toBe(200);

    const shownBefore = shown.length;
    const again = await http('POST', '/launch', { body: { code: codeOf(link) } });
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(JSON.parse(again.body)).toEqual({
      ok: false,
      error: { kind: 'usage', message: 'This link was already used, or is not from this start of weir serve. weir serve has printed a new one-time link in its terminal: open that one.' },
    });
    // The new link was handed to the terminal (never to the browser), and works once too.
    expect(shown).toHaveLength(shownBefore + 1);
    expect((await http('POST', '/launch', { body: { code: codeOf(shown.at(-1)!) } })).status).toBe(204);
    expect((await http('POST', '/launch', { body: { code: codeOf(shown.at(-1)!) } })).status).toBe(401);
  });

  it('a browser that already has a session keeps it when it opens a used link again (a reload, a second tab)', async () => {
    const link = shell.newLaunchUrl();
    const mine = await signIn(link);
    const r = await http('POST', '/launch', { cookie: mine, body: { code: codeOf(link) } });
    expect(r.status).toBe(204);
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('refuses made-up codes and anything but POST', async () => {
    expect((await http('POST', '/launch', { body: { code: 'A'.repeat(43) } })).status).toBe(401);
    expect((await http('POST', '/launch', { body: {} })).status).toBe(401);
    expect((await http('POST', '/launch', { body: { code: 42 } })).status).toBe(401);
    expect((await http('GET', `/launch?code=${codeOf(shell.newLaunchUrl())}`)).status).toBe(405);
  });

  it('stops printing new links while several wait unused', async () => {
    const before = shown.length;
    const answers: string[] = [];
    for (let i = 0; i < 12; i++) answers.push(JSON.parse((await http('POST', '/launch', { body: {} })).body).error.message);
    expect(shown.length - before).toBeLessThanOrEqual(8);
    expect(answers.at(-1)).toBe('This browser has no Weir session. Open the newest link weir serve printed in its terminal (or restart weir serve).');
  });
});

describe('Origin on every request', () => {
  const foreign = ['http://evil.example', `http://127.0.0.1:${1}`, `http://localhost:${2}`, 'null', 'https://127.0.0.1'];

  it('refuses any request a page of another origin makes (403), even with the session, before reading it', async () => {
    for (const origin of [...foreign, `http://127.0.0.1:${shell.port + 1}`]) {
      const r = await http('POST', '/api/app.start', { cookie, body: {}, origin });
      expect(r.status, origin).toBe(403);
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: { kind: 'usage', message: `requests from ${origin} are refused` } });
      expect((await http('GET', '/', { origin })).status, origin).toBe(403);
    }
    // A code sent from another origin is not even used: it still works from the page.
    const link = shell.newLaunchUrl();
    expect((await http('POST', '/launch', { body: { code: codeOf(link) }, origin: 'http://evil.example' })).status).toBe(403);
    expect((await http('POST', '/launch', { body: { code: codeOf(link) }, origin: `http://127.0.0.1:${shell.port}` })).status).toBe(204);
  });

  it('answers its own page (127.0.0.1 or localhost) and clients that send no Origin', async () => {
    for (const origin of [`http://127.0.0.1:${shell.port}`, `http://localhost:${shell.port}`, undefined]) {
      expect((await http('POST', '/api/workspace.recent', { cookie, body: {}, origin })).status, String(origin)).toBe(200);
    }
  });
});

describe('request bodies', () => {
  it('allows large bodies only to the methods that carry a pipeline or a draft', () => {
    expect(bodyLimit('app.start')).toBe(SMALL_BODY);
    expect(bodyLimit('connections.save')).toBe(SMALL_BODY);
    expect(bodyLimit('no.such.method')).toBe(SMALL_BODY);
    for (const m of ['pipeline.save', 'pipeline.validate', 'pipeline.preview', 'pipeline.profile', 'pipeline.chart', 'pipeline.describeInputs', 'pipeline.lineage', 'pipeline.explain', 'drafts.save']) expect(bodyLimit(m), m).toBe(LARGE_BODY);
    expect(SMALL_BODY).toBe(1024 * 1024);
    expect(LARGE_BODY).toBe(16 * 1024 * 1024);
  });

  const FIFTY_MB = 50 * 1000 * 1000;

  it.each([
    ['declared', true],
    ['chunked', false],
  ])('refuses a 50 MB %s body with 413 and cuts the connection long before its end', async (_label, declared) => {
    for (const [method, limit] of [
      ['app.start', SMALL_BODY],
      ['pipeline.save', LARGE_BODY],
    ] as const) {
      const { status, sent } = await sendBigBody({ port: shell.port, path: `/api/${method}`, total: FIFTY_MB, declared, cookie });
      expect(status, method).toBe('HTTP/1.1 413 Payload Too Large');
      // The kernel's socket buffers take some MiB more before the cut reaches the sender.
      expect(sent, method).toBeLessThan(limit + 16 * 1024 * 1024);
    }
  });

  it('says which limit a method has, in one line', async () => {
    const r = await http('POST', '/api/workspace.recent', { cookie, body: { pad: 'x'.repeat(SMALL_BODY) } });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { kind: 'usage', message: 'request body over 1 MiB for workspace.recent' } });
    // The same size is fine where a pipeline may be that large: the contract then judges the input.
    const big = await http('POST', '/api/pipeline.validate', { cookie, body: { pipeline: { pad: 'x'.repeat(SMALL_BODY) } } });
    expect(big.status).toBe(200);
  });
});
