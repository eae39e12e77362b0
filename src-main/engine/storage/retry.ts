import { WeirError } from '../../../shared/errors';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** First backoff; doubles each retry, with full jitter, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** Whether an error is worth another try (throttling, 5xx, timeouts, dropped connections). */
  retryable: (e: unknown) => boolean;
  /** A server's own wait (Retry-After), in ms, which replaces the computed backoff. */
  retryAfterMs?: (e: unknown) => number | null;
  onRetry?: (e: unknown, attempt: number, delayMs: number) => void;
}

/** Defaults shared by the object stores and the HTTP source; tests lower them. */
export const RETRY_DEFAULTS = { attempts: 4, baseDelayMs: 200, maxDelayMs: 10_000 };

export function cancelled(): WeirError {
  return new WeirError('cancelled', 'cancelled');
}

/** Waits, or rejects as cancelled as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with full jitter (AWS's recommendation), capped. */
export function backoffMs(attempt: number, base: number, max: number): number {
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Runs `fn` until it succeeds, fails with a non-retryable error, or attempts run out. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const attempts = Math.max(1, o.attempts ?? RETRY_DEFAULTS.attempts);
  const base = o.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs;
  const max = o.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
  for (let attempt = 1; ; attempt++) {
    if (o.signal?.aborted) throw cancelled();
    try {
      return await fn(attempt);
    } catch (e) {
      if (o.signal?.aborted) throw cancelled();
      if (attempt >= attempts || !o.retryable(e)) throw e;
      const delay = Math.min(max, o.retryAfterMs?.(e) ?? backoffMs(attempt, base, max));
      o.onRetry?.(e, attempt, delay);
      await sleep(delay, o.signal);
    }
  }
}

/** How an error line says that retries were made: ` after 3 retries`, nothing for none. */
export function retriesNote(retries: number): string {
  return retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
}

/** Network errors that say "try again" rather than "this will never work". */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export function networkErrorCode(e: unknown): string | null {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    // AggregateError (happy eyeballs) and fetch's TypeError keep the socket error inside.
    const inner = (cur as { errors?: unknown[] }).errors?.[0] ?? (cur as { cause?: unknown }).cause;
    cur = inner;
  }
  return null;
}

export function isTransientNetworkError(e: unknown): boolean {
  const code = networkErrorCode(e);
  if (code && TRANSIENT_CODES.has(code)) return true;
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'RequestTimeout';
}
