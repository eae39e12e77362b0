import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does with a request that matches a rule:
 * - `drop-response`: forwards it; once the server has answered (the write is applied),
 *   closes the client's connection without an answer, as a network failure would.
 * - `error-after-apply`: forwards it; once the server has answered, answers 500 instead.
 * - `delay-response`: forwards it; holds the server's answer `ms` before passing it on (the
 *   client may give up or be cancelled meanwhile: the write is applied all the same).
 * - `delay-request`: holds the request `ms` before forwarding it; a client that gave up by
 *   then is not forwarded (the write never happens).
 * - `answer`: answers itself, nothing is forwarded.
 */
export type FaultAction =
  | { kind: 'drop-response' }
  | { kind: 'error-after-apply'; status?: number }
  | { kind: 'delay-response'; ms: number }
  | { kind: 'delay-request'; ms: number }
  | { kind: 'answer'; status: number; body?: string };

export interface FaultRule {
  method: string;
  /** Matched against the decoded path, bucket included: `/lake/curated/x/_manifest.json`. */
  path: RegExp;
  /** Matched against the query string (without `?`) when given: `uploads` for ListMultipartUploads. */
  query?: RegExp;
  action: FaultAction;
  /** How many matching requests the rule applies to (default: all). */
  times?: number;
  /** Called when the rule applies, before the action (e.g. to cancel a run). */
  onMatch?: () => void;
}

/**
 * How the proxy treats `If-Match` / `If-None-Match` on a PUT: `ignore` passes them on (s3rver
 * ignores them, as older S3-compatible servers do); `honour` plays a server that enforces them
 * (AWS S3 since 2024, MinIO): 412 when the object's ETag does not match; `not-implemented`
 * answers such a PUT with 501 NotImplemented.
 */
export type ConditionalPuts = 'ignore' | 'honour' | 'not-implemented';

export interface FaultProxy {
  endpoint: string;
  /** `METHOD path?query` of every request received. */
  seen: string[];
  /** `METHOD path` of every request the server answered, faults or not. */
  applied: string[];
  conditionalPuts: ConditionalPuts;
  add(rule: FaultRule): void;
  clear(): void;
  close(): Promise<void>;
}

const XML = 'application/xml';
const INTERNAL_ERROR = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>';
const PRECONDITION_FAILED = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>';
const NOT_IMPLEMENTED = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NotImplemented</Code><Message>A header you provided implies functionality that is not implemented</Message></Error>';

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The server's answer, read whole. */
interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of the test S3 server: per request
 * matching a method and a path it loses the answer after the server applied the request,
 * answers 500 after applying, or delays the request or the answer. Requests matching no
 * rule are forwarded unchanged.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const t = new URL(target);
  const rules: { rule: FaultRule; left: number }[] = [];
  const seen: string[] = [];
  const applied: string[] = [];
  // Conditional PUTs are checked and forwarded one at a time, as a server would decide them.
  let conditionalQueue: Promise<unknown> = Promise.resolve();

  const forward = (method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const up = httpRequest({ host: t.hostname, port: t.port, method, path: url, headers }, (ur) => {
        const chunks: Buffer[] = [];
        ur.on('data', (c: Buffer) => chunks.push(c));
        ur.on('end', () => {
          applied.push(`${method} ${url.split('?')[0]}`);
          resolve({ status: ur.statusCode ?? 502, headers: ur.headers, body: Buffer.concat(chunks) });
        });
        ur.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });

  const currentEtag = async (url: string): Promise<string | null> => {
    const head = await forward('HEAD', url.split('?')[0]!, { host: t.host }, Buffer.alloc(0));
    applied.pop(); // a look, not a request of the client's
    return head.status === 200 ? String(head.headers.etag ?? '') : null;
  };

  /** A PUT with If-Match / If-None-Match, as `conditionalPuts` says. */
  const conditional = async (req: IncomingMessage, body: Buffer): Promise<Upstream | null> => {
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    if (req.method !== 'PUT' || (ifMatch === undefined && ifNoneMatch === undefined) || proxy.conditionalPuts === 'ignore') return null;
    if (proxy.conditionalPuts === 'not-implemented') return { status: 501, headers: { 'content-type': XML }, body: Buffer.from(NOT_IMPLEMENTED) };
    const run = conditionalQueue.then(async () => {
      const etag = await currentEtag(req.url ?? '/');
      const holds = ifMatch !== undefined ? etag !== null && etag === ifMatch : !(ifNoneMatch === '*' && etag !== null);
      if (!holds) return { status: 412, headers: { 'content-type': XML }, body: Buffer.from(PRECONDITION_FAILED) };
      return forward('PUT', req.url ?? '/', req.headers, body);
    });
    conditionalQueue = run.catch(() => {});
    return run;
  };

  const send = (res: ServerResponse, u: Upstream) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(u.status, u.headers);
    res.end(u.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const method = req.method ?? 'GET';
    const [rawPath, query = ''] = (req.url ?? '/').split('?') as [string, string?];
    const path = decodeURIComponent(rawPath);
    const entry = rules.find((r) => r.left > 0 && r.rule.method === method && r.rule.path.test(path) && (r.rule.query?.test(query) ?? true));
    if (entry) entry.left--;
    entry?.rule.onMatch?.();
    const action = entry?.rule.action;
    // The request object ends with its body; only the response says the client left.
    let clientGone = false;
    res.on('close', () => (clientGone = true));
    const gone = () => clientGone || res.destroyed;

    if (action?.kind === 'answer') {
      res.writeHead(action.status, { 'content-type': XML });
      res.end(action.body ?? '');
      return;
    }
    if (action?.kind === 'delay-request') {
      await wait(action.ms);
      if (gone()) return;
    }
    const upstream = (await conditional(req, body)) ?? (await forward(method, req.url ?? '/', req.headers, body));
    switch (action?.kind) {
      case 'drop-response':
        res.destroy();
        return;
      case 'error-after-apply':
        send(res, { status: action.status ?? 500, headers: { 'content-type': XML }, body: Buffer.from(INTERNAL_ERROR) });
        return;
      case 'delay-response':
        await wait(action.ms);
        send(res, upstream);
        return;
      default:
        send(res, upstream);
    }
  };

  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.on('error', () => {});
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: FaultProxy = {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    applied,
    conditionalPuts: 'ignore',
    add(rule) {
      rules.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY });
    },
    clear() {
      rules.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
