import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName } from '../../shared/api/contract';
import { contentSecurityPolicy } from '../../shared/csp';
import { WeirError } from '../../shared/errors';
import type { Dispatch } from '../api/dispatch';
import { serveStatic } from './static-files';
import { newToken, tokenFromHeaders, tokenMatches } from './token';

/** The browser shell listens here and nowhere else. */
export const LOOPBACK = '127.0.0.1';
const MAX_BODY = 64 * 1024 * 1024;

export interface ServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (out/renderer); null serves a page saying to build it. */
  rendererDir: string | null;
  dispatch: Dispatch;
  /** Tests pass a fixed token; otherwise a new one is made at each start. */
  token?: string;
}

export interface RunningServer {
  url: string;
  /** The URL to open: the token rides in the fragment, which browsers never send to a server. */
  openUrl: string;
  token: string;
  port: number;
  broadcast(event: EventName, payload: unknown): void;
  close(): Promise<void>;
}

function securityHeaders(port: number): Record<string, string> {
  const self = [`http://${LOOPBACK}:${port}`, `http://localhost:${port}`];
  return {
    'content-security-policy': contentSecurityPolicy({ connect: self.map((o) => o.replace('http', 'ws')), frameAncestors: true }),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/** Only the loopback names: a page on another site rebinding its DNS to 127.0.0.1 is refused. */
function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
}

function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://${LOOPBACK}:${port}` || origin === `http://localhost:${port}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new WeirError('usage', 'request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/**
 * The browser shell: the built renderer and the API contract over HTTP (`POST /api/<method>`)
 * and WebSocket (`/api/events`), on 127.0.0.1 only. Every `/api/` request must carry the
 * token made at this start, checked before any routing: without it, 401.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  let port = opts.port;
  let headers: Record<string, string> = {};

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host, port)) {
      req.resume();
      res.writeHead(421, { 'content-type': 'text/plain' }).end('wrong host: open the URL weir serve printed');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      if (!tokenMatches(token, tokenFromHeaders(req.headers))) {
        // Nothing of the request is read or routed; the connection is not kept for reuse.
        req.resume();
        res.setHeader('connection', 'close');
        sendJson(res, 401, { ok: false, error: { kind: 'usage', message: 'missing or wrong token: open the URL that weir serve printed' } }, headers);
        return;
      }
      const method = url.pathname.slice('/api/'.length);
      if (req.method !== 'POST') {
        req.resume();
        sendJson(res, 405, { ok: false, error: { kind: 'usage', message: `use POST for /api/${method}` } }, { ...headers, allow: 'POST' });
        return;
      }
      let input: unknown;
      try {
        const text = await readBody(req);
        input = text.trim() ? JSON.parse(text) : {};
      } catch (e) {
        sendJson(res, 400, { ok: false, error: { kind: 'usage', message: e instanceof WeirError ? e.message : 'request body is not JSON' } }, headers);
        return;
      }
      const envelope = await opts.dispatch(method, input);
      const status = envelope.ok ? 200 : envelope.error.kind === 'internal' ? 500 : envelope.error.message.startsWith('no API method') ? 404 : 400;
      sendJson(res, envelope.ok ? 200 : status, envelope, headers);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
      return;
    }
    await serveStatic(opts.rendererDir, url.pathname, res, headers);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { kind: 'internal', message: 'internal error' } }, headers);
      else res.destroy();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    const refuse = (status: string) => {
      socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (!hostAllowed(req.headers.host, port) || !originAllowed(req.headers.origin, port)) return refuse('403 Forbidden');
    // Browsers cannot set headers on a WebSocket: the token comes in the query string.
    if (!tokenMatches(token, url.searchParams.get('token') ?? tokenFromHeaders(req.headers))) return refuse('401 Unauthorized');
    if (url.pathname !== '/api/events') return refuse('404 Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
      // The channel only carries events out; anything sent in is ignored.
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'EADDRINUSE' ? new WeirError('usage', `port ${opts.port} is in use; choose another with --port`) : e);
    });
    server.listen(opts.port, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  headers = securityHeaders(port);
  const url = `http://${LOOPBACK}:${port}/`;

  return {
    url,
    openUrl: `${url}#token=${token}`,
    token,
    port,
    broadcast(event, payload) {
      const msg = JSON.stringify({ event, payload });
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(msg);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
