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
 *   once, unless work was handed to `holdExit` (publishing): then it waits for that to settle.
 *
 * This module must stay free of imports beyond Node's `process`: it is evaluated first.
 */

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type HandledSignal = keyof typeof EXIT_CODES;

let received: HandledSignal | null = null;
let controller: AbortController | null = null;
const holds = new Set<Promise<unknown>>();
let waitingForHolds = false;

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
    return;
  }
  if (holds.size) {
    if (!waitingForHolds) {
      waitingForHolds = true;
      write(`${signal}: publishing is in progress; stopping as soon as it has settled`);
      void settleThenExit(signal);
    }
    return;
  }
  exitNow(signal, controller ? `stopped by ${signal} before the run finished cancelling` : `stopped by ${signal}`);
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
