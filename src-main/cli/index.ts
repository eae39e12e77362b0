// First, before anything heavy loads: signals and broken pipes get their answers (signals.ts,
// stdio.ts), so a SIGTERM in the first instants is handled like any other. The thread pool is
// sized before anything can use it (thread-pool.ts; launch.ts did it already under bin/weir.cjs).
import './support/thread-pool';
import { installSignalHandlers } from './support/signals';
import { guardStdio, outputFailed } from './support/stdio';

installSignalHandlers();
guardStdio();

// main and the commands load only now (esbuild keeps a dynamic import lazy in the bundle).
import('./main')
  .then(({ main }) => main(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code === 0 && outputFailed() ? 1 : code;
    },
    (e: unknown) => {
      process.stderr.write(`weir: internal error: ${String((e as Error)?.message ?? e).replace(/[\x00-\x1f\x7f-\x9f]/g, ' ')}\n`);
      process.exitCode = 1;
    },
  );
