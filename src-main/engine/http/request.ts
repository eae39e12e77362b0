import { WeirError } from '../../../shared/errors';
import { cancelled, isTransientNetworkError, networkErrorCode, retriesNote, withRetry } from '../storage/retry';
import type { CredentialScope } from './credential-scope';

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: URL;
  /** Which headers (credentials) may go where; redirects are followed hop by hop through it. */
  scope: CredentialScope;
  /** How a refusal names this request: "the request", "the next page". */
  what?: string;
  body?: unknown;
  timeoutMs: number;
  /** The most bytes one answer may have; more fails the request at once (no retry). */
  maxBytes: number;
  retries: number;
  signal: AbortSignal;
  /** Who is asking, for messages: `connection "api"` or the node. */
  who: string;
  /** The URL as it may be shown (secret query values masked). */
  shownUrl: string;
  /** Backoff base for retries; tests lower it. */
  baseDelayMs?: number;
  /** Validators of a copy kept from before: sent as If-None-Match / If-Modified-Since, and a 304 is then an answer. */
  conditional?: { etag?: string; lastModified?: string };
  /** `why` names the request and what went wrong: `GET https://api/x: HTTP 503`. */
  onRetry?: (why: string, attempt: number, delayMs: number) => void;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  json: unknown;
  bytes: Buffer;
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly retryAfterMs: number | null,
  ) {
    super(`HTTP ${status}`);
  }
}

/** The answer's headers came, then the connection dropped while its body was read. */
class BodyReadError extends Error {
  constructor(override readonly cause: unknown) {
    super('the connection dropped while the response was read');
  }
}

const MAX_REDIRECTS = 10;

/** An answer over the request's byte bound: not retried (the next try would be as large). */
class TooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the answer is over ${formatBytes(limit)}`);
  }
}

const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${+(n / (1024 * 1024)).toFixed(1)} MB` : `${n} bytes`);

/**
 * The body, read chunk by chunk and given up the moment it passes `limit` (a Content-Length
 * above it is refused before any byte is read): `arrayBuffer()` would hold whatever the server
 * sends, and an endless answer would take the process's memory with it.
 */
async function readCapped(res: Response, limit: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw new TooLarge(limit);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** Retry-After as seconds or an HTTP date, in ms; capped so a server cannot park a run. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const secs = Number(value);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), 60_000) : null;
}

function retryable(e: unknown): boolean {
  if (e instanceof HttpStatusError) return e.status === 429 || e.status === 408 || e.status >= 500;
  if (e instanceof BodyReadError) return true;
  return isTransientNetworkError(e);
}

/** Why a body could not be read: the socket's code, or the request's time running out. */
function bodyWhy(e: BodyReadError, timeoutMs: number): string {
  if ((e.cause as Error | undefined)?.name === 'TimeoutError') return `the answer was not complete within ${timeoutMs / 1000}s`;
  return `the connection dropped while the answer was read (${networkErrorCode(e.cause) ?? (e.cause as Error | undefined)?.message})`;
}

function why(e: unknown, timeoutMs: number): string {
  if (e instanceof HttpStatusError) return `HTTP ${e.status}`;
  if (e instanceof BodyReadError) return bodyWhy(e, timeoutMs);
  return networkErrorCode(e) ?? 'timeout';
}

/**
 * Asks one URL, following redirects by hand: each hop goes through the credential scope, so
 * a redirect to another origin gets no credentials (or is refused). 303, and 301/302 after a
 * POST, become a GET without a body, as browsers do.
 */
async function fetchFollowing(r: JsonRequest, signal: AbortSignal): Promise<Response> {
  let url = r.url;
  let method: string = r.method;
  let body = r.body;
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new WeirError('connection', `${r.who}: ${r.method} ${r.shownUrl} redirected to a ${url.protocol} URL; only http and https are followed`);
    }
    const target = r.scope.hop(url, hop === 0 ? (r.what ?? 'the request') : `the redirect of ${r.method} ${r.shownUrl}`);
    const validators = {
      ...(r.conditional?.etag ? { 'if-none-match': r.conditional.etag } : {}),
      ...(r.conditional?.lastModified ? { 'if-modified-since': r.conditional.lastModified } : {}),
    };
    const res = await fetch(target.url, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...validators, ...target.headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal,
      redirect: 'manual',
    });
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    if (!location) return res;
    await res.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) throw new WeirError('connection', `${r.who}: ${r.method} ${r.shownUrl} redirected more than ${MAX_REDIRECTS} times`);
    url = new URL(location, target.url);
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
  }
}

/**
 * One JSON request with retries (429, 408, 5xx, timeouts, dropped connections; backoff
 * with jitter, Retry-After honoured). Errors are one line naming who asked, the request, what
 * happened and how many retries were made.
 */
export async function requestJson(r: JsonRequest): Promise<JsonResponse> {
  const line = `${r.method} ${r.shownUrl}`;
  let retried = 0;
  try {
    return await withRetry(
      async () => {
        const res = await fetchFollowing(r, AbortSignal.any([r.signal, AbortSignal.timeout(r.timeoutMs)]));
        let bytes: Buffer;
        try {
          bytes = await readCapped(res, r.maxBytes);
        } catch (e) {
          if (e instanceof TooLarge) {
            throw new WeirError('connection', `${r.who}: ${line}: ${e.message} (max_response_mb); a paged API can send smaller pages, or raise max_response_mb up to 512`);
          }
          throw r.signal.aborted ? e : new BodyReadError(e);
        }
        // Not modified: the caller's kept copy is the answer.
        if (res.status === 304 && r.conditional) return { status: 304, headers: res.headers, json: null, bytes };
        if (!res.ok) throw new HttpStatusError(res.status, res.statusText, retryAfterMs(res.headers.get('retry-after')));
        let json: unknown;
        try {
          json = bytes.length ? JSON.parse(bytes.toString('utf8')) : null;
        } catch (e) {
          throw new WeirError('connection', `${r.who}: ${line} did not answer JSON (${(e as Error).message})`);
        }
        return { status: res.status, headers: res.headers, json, bytes };
      },
      {
        attempts: r.retries + 1,
        baseDelayMs: r.baseDelayMs,
        // A server's Retry-After is honoured up to a minute (retryAfterMs caps it there).
        maxDelayMs: 60_000,
        signal: r.signal,
        retryable,
        retryAfterMs: (e) => (e instanceof HttpStatusError ? e.retryAfterMs : null),
        onRetry: (e, attempt, delay) => {
          retried = attempt;
          r.onRetry?.(`${line}: ${why(e, r.timeoutMs)}`, attempt, delay);
        },
      },
    );
  } catch (e) {
    if (r.signal.aborted) throw cancelled();
    if (e instanceof WeirError) throw e;
    const after = retriesNote(retried);
    if (e instanceof HttpStatusError) {
      const hint = e.status === 401 || e.status === 403 ? ' (check the credentials in the connection)' : '';
      throw new WeirError('connection', `${r.who}: ${line} answered ${e.status}${e.statusText ? ` ${e.statusText}` : ''}${hint}${after}`);
    }
    if (e instanceof BodyReadError) {
      throw new WeirError('connection', `${r.who}: ${line}: ${bodyWhy(e, r.timeoutMs)}${after}`);
    }
    const code = networkErrorCode(e);
    if (code === 'ENOTFOUND') throw new WeirError('connection', `${r.who}: cannot resolve the host of ${r.shownUrl}${after}`);
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') {
      throw new WeirError('connection', `${r.who}: ${line}: the connection was reset before an answer came (${code})${after}`);
    }
    const reason = code ?? ((e as Error).name === 'TimeoutError' ? `no answer within ${r.timeoutMs / 1000}s` : (e as Error).message);
    throw new WeirError('connection', `${r.who}: cannot reach ${r.shownUrl} (${reason})${after}`);
  }
}
