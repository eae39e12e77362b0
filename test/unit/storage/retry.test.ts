import { describe, expect, it } from 'vitest';
import { WeirError } from '../../../shared/errors';
import { withRetry, isTransientNetworkError } from '../../../src-main/engine/storage/retry';
import { retryAfterMs } from '../../../src-main/engine/http/request';

describe('withRetry', () => {
  it('retries retryable errors until one attempt succeeds', async () => {
    let calls = 0;
    const delays: number[] = [];
    const got = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
        return 'ok';
      },
      { attempts: 4, baseDelayMs: 1, retryable: isTransientNetworkError, onRetry: (_e, _a, d) => delays.push(d) },
    );
    expect(got).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toHaveLength(2);
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw Object.assign(new Error(`try ${calls}`), { code: 'ETIMEDOUT' });
        },
        { attempts: 3, baseDelayMs: 1, retryable: isTransientNetworkError },
      ),
    ).rejects.toThrow('try 3');
    expect(calls).toBe(3);
  });

  it('does not retry errors that are not retryable', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('403');
        },
        { attempts: 5, baseDelayMs: 1, retryable: () => false },
      ),
    ).rejects.toThrow('403');
    expect(calls).toBe(1);
  });

  it('stops waiting when the signal aborts', async () => {
    const ac = new AbortController();
    const p = withRetry(
      async () => {
        throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      },
      { attempts: 5, baseDelayMs: 60_000, retryable: isTransientNetworkError, signal: ac.signal, onRetry: () => ac.abort() },
    );
    await expect(p).rejects.toSatisfy((e: unknown) => e instanceof WeirError && e.kind === 'cancelled');
  });

  it('uses a server-given wait', async () => {
    const delays: number[] = [];
    let calls = 0;
    await withRetry(
      async () => {
        if (calls++ === 0) throw new Error('slow down');
        return 1;
      },
      { attempts: 2, baseDelayMs: 5000, retryable: () => true, retryAfterMs: () => 7, onRetry: (_e, _a, d) => delays.push(d) },
    );
    expect(delays).toEqual([7]);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, capped at a minute', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(null)).toBeNull();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('3600')).toBe(60_000);
    expect(retryAfterMs('soon')).toBeNull();
  });
});
