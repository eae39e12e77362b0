import { WeirError } from '../../../shared/errors';

/** How long a cancelled preview may take to end before its session gives up on it. */
export const CANCEL_GRACE_MS = 2_000;

/** One request's place in a preview session's queue (PreviewTurns). */
export class Turn {
  started = false;
  /** Given up on after its cancel: it must not touch the session's state again. */
  abandoned = false;

  /** Throws `cancelled` once the turn was given up on: asked before each step that touches the session. */
  check(): void {
    if (this.abandoned) throw new WeirError('cancelled', 'preview cancelled');
  }
}

/**
 * A preview session's requests, one at a time and in order. A cancelled request normally ends
 * at once (DuckDB interrupted). Some statements do not look at an interrupt until they end (one
 * scalar call over long strings, `levenshtein` or `repeat`, runs for minutes), and they would
 * keep the user's cancel, and every later request of the file, waiting that long. So a request
 * still running CANCEL_GRACE_MS after its cancel answers `cancelled` anyway and is given up on:
 * the session is told (`onAbandon`, with the work still running, to let go of what it holds once
 * that settles) and the next request starts.
 */
export class PreviewTurns {
  private tail: Promise<unknown> = Promise.resolve();

  take<T>(work: (turn: Turn) => Promise<T>, cancel?: { signal: AbortSignal; onAbandon: (running: Promise<unknown>) => void }): Promise<T> {
    const turn = new Turn();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const run = this.tail.then(() => {
      turn.started = true;
      return work(turn);
    });
    run.then(release, release);
    this.tail = released;
    if (!cancel) return run;
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => {
        timer = setTimeout(() => {
          // Not started: it ends as soon as its turn comes (it is cancelled), holding nothing.
          if (!turn.started) return;
          turn.abandoned = true;
          cancel.onAbandon(run);
          release();
          reject(new WeirError('cancelled', 'preview cancelled'));
        }, CANCEL_GRACE_MS);
        timer.unref?.();
      };
      if (cancel.signal.aborted) onAbort();
      else cancel.signal.addEventListener('abort', onAbort, { once: true });
      run.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        cancel.signal.removeEventListener('abort', onAbort);
      });
    });
  }
}
