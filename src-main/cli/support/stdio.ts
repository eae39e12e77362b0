/**
 * `weir plan | head`: once the reader has gone, writing to stdout fails with EPIPE, which Node
 * raises as an unhandled 'error' event (a stack trace and exit 1). Like other Unix tools, Weir
 * then just stops writing there: later writes are dropped and the command ends with its own
 * exit code. A run keeps going to its end (it may be publishing); its record and audit entry
 * say how it went. The same for stderr; any other write failure is reported once, exit code 1.
 */
let writeFailed = false;

/** True when stdout failed for another reason than its reader going away: the exit code is then at least 1. */
export function outputFailed(): boolean {
  return writeFailed;
}

export function guardStdio(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      // Nobody reads any more (or the output cannot be written): writes become no-ops.
      stream.write = (() => true) as typeof stream.write;
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
      // Another failure (a full disk under a redirect): one line where it can still go.
      const other = stream === process.stdout ? process.stderr : null;
      other?.write(`weir: cannot write to standard output (${e.code ?? e.message})\n`);
      writeFailed = true;
    });
  }
}
