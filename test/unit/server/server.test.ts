import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { startBrowserShell } from '../../../src-main/server/browser-shell';
import { samplePipeline } from '../api/fixture';

let base: string;
let shell: Awaited<ReturnType<typeof startBrowserShell>>;
let root: string;

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
  shell = await startBrowserShell({ port: 0, home: join(base, 'home'), rendererDir: renderer, templatesDir: null });
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

function http(method: string, path: string, opts: { token?: string; body?: unknown; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    if (opts.host) headers.host = opts.host;
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

  it('answers 401 to every /api/ request without the right token, before routing', async () => {
    const wrong = `${shell.token.slice(0, -1)}${shell.token.endsWith('A') ? 'B' : 'A'}`;
    for (const [method, path, token] of [
      ['POST', '/api/app.start', undefined],
      ['POST', '/api/app.start', wrong],
      ['POST', '/api/app.start', ''],
      ['POST', '/api/no.such.method', undefined],
      ['GET', '/api/app.start', undefined],
      ['DELETE', '/api/', undefined],
      ['POST', '/api', undefined],
    ] as const) {
      const r = await http(method, path, { token, body: {} });
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/token/) } });
    }
  });

  it('serves the API contract with the token', async () => {
    const ok = await http('POST', '/api/workspace.open', { token: shell.token, body: { root } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, result: { root, pipelines: [{ path: 'pipelines/release.weir.json' }] } });
    const bad = await http('POST', '/api/workspace.open', { token: shell.token, body: { root: 'relative' } });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { kind: 'usage' } });
    expect((await http('POST', '/api/no.such.method', { token: shell.token, body: {} })).status).toBe(404);
    expect((await http('GET', '/api/app.start', { token: shell.token })).status).toBe(405);
  });

  it('refuses a request naming another host (DNS rebinding)', async () => {
    const r = await http('POST', '/api/app.start', { token: shell.token, body: {}, host: `evil.example:${shell.port}` });
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

  it('streams events on the WebSocket only with the token', async () => {
    const wsUrl = `ws://127.0.0.1:${shell.port}/api/events`;
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(refused).toBe(401);

    const ws = new WebSocket(`${wsUrl}?token=${encodeURIComponent(shell.token)}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const received: { event: string; payload: { event: { type: string } } }[] = [];
    ws.on('message', (m) => received.push(JSON.parse(String(m))));
    const started = await http('POST', '/api/pipeline.run', { token: shell.token, body: { root, path: 'pipelines/release.weir.json' } });
    expect(JSON.parse(started.body)).toMatchObject({ ok: true, result: { runId: expect.any(String) } });
    for (let i = 0; i < 400 && !received.some((m) => m.payload.event.type === 'run_finished'); i++) await new Promise((r) => setTimeout(r, 25));
    ws.close();
    expect(received[0]).toMatchObject({ event: 'run.event', payload: { path: 'pipelines/release.weir.json', event: { type: 'run_started' } } });
    expect(received.at(-1)?.payload.event).toMatchObject({ type: 'run_finished', status: 'succeeded' });
  });
});
