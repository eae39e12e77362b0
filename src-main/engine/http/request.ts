import { WeirError } from '../../../shared/errors';
import { cancelled, isTransientNetworkError, networkErrorCode, withRetry } from '../storage/retry';

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  retries: number;
  signal: AbortSignal;
  /** Who is asking, for messages: `connection "api"` or the node. */
  who: string;
  /** The URL as it may be shown (secret query values masked). */
  shownUrl: string;
  /** Backoff base for retries; tests lower it. */
  baseDelayMs?: number;
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

/** Retry-After as seconds or an HTTP date, in ms; capped so a server cannot park a run. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const secs = Number(value);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), 60_000) : null;
}

function retryable(e: unknown): boolean {
  if (e instanceof HttpStatusError) return e.status === 429 || e.status === 408 || e.status >= 500;
  return isTransientNetworkError(e);
}

/**
 * One JSON request with retries (429, 408, 5xx, timeouts, dropped connections; backoff
 * with jitter, Retry-After honoured). Errors are one line naming who asked and the URL.
 */
export async function requestJson(r: JsonRequest): Promise<JsonResponse> {
  const line = `${r.method} ${r.shownUrl}`;
  try {
    return await withRetry(
      async () => {
        const res = await fetch(r.url, {
          method: r.method,
          headers: { accept: 'application/json', ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers },
          ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}),
          signal: AbortSignal.any([r.signal, AbortSignal.timeout(r.timeoutMs)]),
          redirect: 'follow',
        });
        const bytes = Buffer.from(await res.arrayBuffer());
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
        onRetry: (e, attempt, delay) => r.onRetry?.(e instanceof HttpStatusError ? `HTTP ${e.status}` : (networkErrorCode(e) ?? 'timeout'), attempt, delay),
      },
    );
  } catch (e) {
    if (r.signal.aborted) throw cancelled();
    if (e instanceof WeirError) throw e;
    if (e instanceof HttpStatusError) {
      const hint = e.status === 401 || e.status === 403 ? ' (check the credentials in the connection)' : '';
      throw new WeirError('connection', `${r.who}: ${line} answered ${e.status}${e.statusText ? ` ${e.statusText}` : ''}${hint}`);
    }
    const code = networkErrorCode(e);
    if (code === 'ENOTFOUND') throw new WeirError('connection', `${r.who}: cannot resolve the host of ${r.shownUrl}`);
    throw new WeirError('connection', `${r.who}: cannot reach ${r.shownUrl} (${code ?? ((e as Error).name === 'TimeoutError' ? `no answer within ${r.timeoutMs / 1000}s` : (e as Error).message)})`);
  }
}
