import type pg from 'pg';

export interface KeepBusy {
  /** Stops pinging and waits (up to 5 s) for a ping in flight, so the next statement has the session to itself. */
  stop(): Promise<void>;
  /** The failure of a ping (the session was terminated, the server went away), if any. */
  readonly failure: unknown;
}

/**
 * Keeps a session that waits inside its transaction from counting as idle: a publishing
 * session loads its rows, then waits, idle in transaction, until the rest of the graph has run
 * (minutes, or longer). `SELECT 1` every quarter of `idle_in_transaction_session_timeout`
 * (at most every 30 s) resets the server's clock, so the timeout (Weir's 5 minutes, or the
 * DBA's value) ends only the transactions of a runner that froze or stopped (SIGSTOP, a hung
 * process), while a waiting one is never cut. At most one ping is outstanding; one sent during
 * a COPY simply runs after it. No timeout (0): nothing to do.
 */
export function keepBusy(client: pg.Client, idleTimeoutMs: number): KeepBusy {
  let failure: unknown;
  let inFlight: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  if (idleTimeoutMs > 0) {
    const every = Math.max(50, Math.min(30_000, Math.floor(idleTimeoutMs / 4)));
    timer = setInterval(() => {
      if (inFlight || failure !== undefined) return;
      inFlight = client.query('SELECT 1').then(
        () => {
          inFlight = null;
        },
        (e: unknown) => {
          failure = e;
          inFlight = null;
        },
      );
    }, every);
    // A ping is no reason to keep the process alive.
    timer.unref();
  }
  return {
    async stop() {
      clearInterval(timer);
      timer = undefined;
      if (!inFlight) return;
      // A server that stopped answering must not hold up the rollback that follows (it drops the socket).
      let wait: NodeJS.Timeout | undefined;
      await Promise.race([inFlight, new Promise<void>((resolve) => (wait = setTimeout(resolve, 5000)))]);
      clearTimeout(wait);
    },
    get failure() {
      return failure;
    },
  };
}
