/**
 * One process-wide answer to Ctrl-C (SIGINT), SIGTERM and SIGHUP for every `weir` command.
 * Installed by index.ts before anything else is loaded, so a signal at any instant ends the
 * process with one line and a known exit code, never a silent kill:
 *
 * - no run yet (loading, validating, planning, any other command): stop at once, 128 + the
 *   signal's number (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP);
 * - a run under way (a command called `cancelOnSignal()`): the first signal aborts it (DuckDB
 *   interrupted, uploads aborted, transactions rolled back, a run record written), and the
 *   command exits with that same 128 + n once the run has wound down; a second signal stops at
 *   once (by the signal itself: see stopRun), unless work was handed to `holdExit`
 *   (publishing): then it waits for that to settle.
 *   A run that has not wound down `CANCEL_GRACE_MS` after the first signal is stopped as a
 *   second signal would: some DuckDB statements do not look at an interrupt until they end
 *   (one scalar call such as `levenshtein` over two long strings runs for minutes), and a
 *   SIGTERM from cron or Kubernetes must end the process within seconds, not when the query
 *   happens to end.
 *
 * This module must stay free of imports beyond Node's `process`: it is evaluated first.
 */

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type HandledSignal = keyof typeof EXIT_CODES;

let received: HandledSignal | null = null;
let controller: AbortController | null = null;
const holds = new Set<Promise<unknown>>();
let waitingForHolds = false;

/** How long a cancelled run may take to wind down before the process stops without it. */
export const CANCEL_GRACE_MS = 10_000;

function write(line: string): void {
  try {
    process.stderr.write(`weir: ${line}\n`);
  } catch {
    // stderr gone: the exit code says it
  }
}

function exitNow(signal: HandledSignal, line: string): void {
  write(line);
  process.exit(EXIT_CODES[signal]);
}

function onSignal(signal: HandledSignal): void {
  // A command that waits for the signal itself (`weir serve` stops its server and exits 0).
  if (!controller && process.listenerCount(signal) > 1) {
    received ??= signal;
    return;
  }
  const first = received === null;
  received ??= signal;
  if (controller && first) {
    controller.abort();
    // Not kept alive by it: a run that winds down in time exits as it always did.
    setTimeout(() => stopRun(signal, `stopped by ${signal}: the run had not finished cancelling ${CANCEL_GRACE_MS / 1000} s after it (DuckDB was in a statement it cannot interrupt)`), CANCEL_GRACE_MS).unref();
    return;
  }
  if (controller) stopRun(signal, `stopped by ${signal} before the run finished cancelling`);
  else exitNow(signal, `stopped by ${signal}`);
}

/**
 * Ends a run that has not wound down: after publishing in progress has settled, by the signal
 * itself. Not `process.exit`: Node's exit waits for libuv's worker threads, and a DuckDB
 * statement that does not look at its interrupt keeps one busy for as long as it computes (a
 * plain exit took 14 s, or minutes). Dying by the signal, its default action restored, ends the
 * process at once with the status a shell reports as 128 + its number, as documented.
 */
function stopRun(signal: HandledSignal, line: string): void {
  if (holds.size) {
    if (!waitingForHolds) {
      waitingForHolds = true;
      write(`${signal}: publishing is in progress; stopping as soon as it has settled`);
      void settleThenExit(signal);
    }
    return;
  }
  write(line);
  dieBy(signal);
}

/** Ends the process by `signal` with its default action, whatever its worker threads are doing. */
export function dieBy(signal: HandledSignal | 'SIGTERM', code: number = EXIT_CODES[signal]): void {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  // Should the signal not end it (ignored since the process started), exit as before.
  setTimeout(() => process.exit(code), 1000).unref();
}

async function settleThenExit(signal: HandledSignal): Promise<void> {
  while (holds.size) await Promise.allSettled([...holds]);
  exitNow(signal, `stopped by ${signal}`);
}

/** Installs the handlers; index.ts calls it as its first statement. Calling it again does nothing. */
let installed = false;
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of Object.keys(EXIT_CODES) as HandledSignal[]) process.on(signal, () => onSignal(signal));
}

/**
 * From now on the first signal aborts the returned signal instead of ending the process: for a
 * command that has work to wind down cleanly (a run). Idempotent.
 */
export function cancelOnSignal(): AbortSignal {
  controller ??= new AbortController();
  return controller.signal;
}

/**
 * Lets a signal that arrived during synchronous work be handled now: Node runs signal handlers
 * only between turns of the event loop, and loading or planning 100,000 nodes is seconds of
 * synchronous work. Commands await it between such stages.
 */
export function signalCheckpoint(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The first signal received, or null. */
export function receivedSignal(): HandledSignal | null {
  return received;
}

/** The exit code for a command stopped by a signal (128 + its number), or null when none came. */
export function signalExitCode(): number | null {
  return received ? EXIT_CODES[received] : null;
}

/**
 * Work that must not be cut short by a second signal (publishing: renames, manifest writes,
 * commits). While it is pending, a further signal waits for it to settle and then exits.
 * Returns the same promise.
 */
export function holdExit<T>(work: Promise<T>): Promise<T> {
  holds.add(work);
  const release = () => {
    holds.delete(work);
  };
  work.then(release, release);
  return work;
}

/** How long a server that has stopped serving waits for work still in flight before it exits anyway. */
export const STOP_GRACE_MS = 3_000;

/**
 * For a server that has closed its door (`weir serve`, `weir mcp`): the process exits with
 * `code` once nothing keeps it alive, and at the latest after `STOP_GRACE_MS`. A preview whose
 * DuckDB statement cannot be interrupted (cancelled, but still computing for minutes) would
 * otherwise keep a stopped server's process running until it ends, answering no one.
 */
export function exitWithinGrace(code: number): void {
  // A plain exit would wait for the statement (see stopRun); by then nothing is owed to anyone.
  setTimeout(() => dieBy('SIGTERM', code), STOP_GRACE_MS).unref();
}
