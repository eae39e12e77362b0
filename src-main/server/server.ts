import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName } from '../../shared/api/contract';
import { contentSecurityPolicy } from '../../shared/csp';
import { WeirError } from '../../shared/errors';
import type { Dispatch } from '../api/dispatch';
import { BodyTooLarge, bodyLimit, formatLimit, readBody } from './request-body';
import { cookieValue, LaunchCodes, sessionCookie, sessionCookieName, Sessions } from './sessions';
import { serveStatic } from './static-files';

/** The browser shell listens here and nowhere else. */
export const LOOPBACK = '127.0.0.1';
/** `POST /launch`: a launch code for a session. */
export const LAUNCH_PATH = '/launch';
const LAUNCH_BODY = 4 * 1024;

export interface ServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (out/renderer); null serves a page saying to build it. */
  rendererDir: string | null;
  dispatch: Dispatch;
  /**
   * A browser arrived without a session and without a usable code: show the user this new
   * one-time link where only they can read it (weir serve prints it in its terminal). Without
   * this, such a browser is only told to use a link it already has.
   */
  onNewLaunchUrl?: (url: string) => void;
}

export interface RunningServer {
  /** The server's own address, `http://127.0.0.1:<port>/`: opens nothing without a session. */
  url: string;
  port: number;
  /**
   * A new one-time link, `<url>#launch=<code>`: the first browser to open it gets a session
   * (an HttpOnly cookie), and the link is dead afterwards. The code rides in the fragment,
   * which a browser never sends in a request line; the page exchanges it with a POST.
   */
  newLaunchUrl(): string;
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

/**
 * A request without Origin (curl, a script) is judged by its session alone; a browser sends
 * Origin with every POST, fetch and WebSocket, and only the page this server serves may call.
 */
function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === undefined || origin === `http://${LOOPBACK}:${port}` || origin === `http://localhost:${port}`;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

const refusal = (message: string) => ({ ok: false, error: { kind: 'usage', message } });

/** After a refusal, how long the connection stays open (unread) for the client to read the answer. */
const LINGER_MS = 500;

/**
 * Answers, keeps nothing more of the request, and closes the connection. Not at once: closing
 * a socket that still has unread bytes sends a reset, and a reset that reaches a client still
 * sending its body can cost it the answer. So the answer goes out with `connection: close` and
 * a half-close (FIN), and then nothing more is read: the client's writes stop when the
 * buffers between us are full, it reads the answer (every HTTP client reads while it sends),
 * and the connection is cut after LINGER_MS. Reading and dropping the rest instead (nginx's
 * lingering close) let a fast client's reset win the race: the body is in within milliseconds
 * on loopback, long before the client's event loop has read the answer.
 */
function refuseAndClose(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const socket = req.socket;
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
  // Node ends a `connection: close` exchange with socket.destroySoon(), which resets a socket
  // with unread bytes; without it Node half-closes (socket.end()), which is what is wanted here.
  (socket as { destroySoon?: () => void }).destroySoon = () => socket.end();
  // The request is never read again: Node resumes a socket to drain an unread request once its
  // response is finished (IncomingMessage._dump); this socket is closed within LINGER_MS anyway.
  socket.pause();
  socket.resume = () => socket;
  sendJson(res, status, body, { ...headers, connection: 'close' });
}

const NO_SESSION = 'no session: open the one-time link that weir serve printed in its terminal';

/** The body of a request, as JSON; an empty body is `{}`. */
async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = (await readBody(req, limit)).toString('utf8');
  try {
    return text.trim() ? (JSON.parse(text) as unknown) : {};
  } catch {
    throw new WeirError('usage', 'request body is not JSON');
  }
}

/**
 * The browser shell: the built renderer and the API contract over HTTP (`POST /api/<method>`)
 * and WebSocket (`/api/events`), on 127.0.0.1 only.
 *
 * Who may call: a browser holding a session cookie, which it got by exchanging a one-time
 * launch code (`POST /launch`). Every request is checked for its Host (DNS rebinding) and, when
 * it has one, its Origin (another site's page, or another server on another port of this host)
 * before anything else; every `/api/` request for its session before any routing; every body
 * against its method's limit as it arrives.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const codes = new LaunchCodes();
  const sessions = new Sessions();
  let port = opts.port;
  let headers: Record<string, string> = {};
  const launchUrl = (code: string) => `http://${LOOPBACK}:${port}/#launch=${code}`;
  const sessionOf = (req: IncomingMessage) => cookieValue(req.headers.cookie, sessionCookieName(port));

  /**
   * `{ "code": "..." }` → a session cookie (204). A browser that already has a session gets 204
   * and keeps it. Any other request is refused (401), and the user is shown a new link where only
   * they can read it.
   */
  const launch = async (req: IncomingMessage, res: ServerResponse) => {
    let code: unknown;
    try {
      code = ((await readJson(req, LAUNCH_BODY)) as { code?: unknown } | null)?.code;
    } catch (e) {
      if (e instanceof BodyTooLarge) return refuseAndClose(req, res, 413, refusal(`${e.message} for ${LAUNCH_PATH}`), headers);
      return sendJson(res, 400, refusal(e instanceof WeirError ? e.message : 'request body is not JSON'), headers);
    }
    if (typeof code === 'string' && codes.take(code)) {
      res.setHeader('set-cookie', sessionCookie(port, sessions.create()));
      res.writeHead(204, { ...headers, 'cache-control': 'no-store' }).end();
      return;
    }
    if (sessions.has(sessionOf(req))) {
      res.writeHead(204, { ...headers, 'cache-control': 'no-store' }).end();
      return;
    }
    const fresh = opts.onNewLaunchUrl ? codes.reissue() : null;
    if (fresh) opts.onNewLaunchUrl!(launchUrl(fresh));
    const what = typeof code === 'string' ? 'This link was already used, or is not from this start of weir serve.' : 'This browser has no Weir session.';
    const next = fresh
      ? 'weir serve has printed a new one-time link in its terminal: open that one.'
      : 'Open the newest link weir serve printed in its terminal (or restart weir serve).';
    sendJson(res, 401, refusal(`${what} ${next}`), headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host, port)) {
      req.resume();
      res.writeHead(421, { 'content-type': 'text/plain' }).end('wrong host: open the URL weir serve printed');
      return;
    }
    if (!originAllowed(req.headers.origin, port)) {
      refuseAndClose(req, res, 403, refusal(`requests from ${req.headers.origin} are refused`), headers);
      return;
    }
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (url.pathname === LAUNCH_PATH) {
      if (req.method !== 'POST') {
        req.resume();
        sendJson(res, 405, refusal(`use POST for ${LAUNCH_PATH}`), { ...headers, allow: 'POST' });
        return;
      }
      await launch(req, res);
      return;
    }
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      if (!sessions.has(sessionOf(req))) {
        // Nothing of the request is read or routed; the connection is not kept for reuse.
        refuseAndClose(req, res, 401, refusal(NO_SESSION), headers);
        return;
      }
      const method = url.pathname.slice('/api/'.length);
      if (req.method !== 'POST') {
        req.resume();
        sendJson(res, 405, refusal(`use POST for /api/${method}`), { ...headers, allow: 'POST' });
        return;
      }
      let input: unknown;
      try {
        input = await readJson(req, bodyLimit(method));
      } catch (e) {
        if (e instanceof BodyTooLarge) refuseAndClose(req, res, 413, refusal(`request body over ${formatLimit(e.limit)} for ${method}`), headers);
        else sendJson(res, 400, refusal(e instanceof WeirError ? e.message : 'request body is not JSON'), headers);
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
    // The page's WebSocket carries the session cookie like any same-site request.
    if (!sessions.has(sessionOf(req))) return refuse('401 Unauthorized');
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
    port,
    newLaunchUrl: () => launchUrl(codes.issue()),
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
