import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// WEIR_TEST_BIN runs the tests against another build (e.g. one made from a working tree with
// `node scripts/build-cli.mjs <out>` before the committed bundle is rebuilt).
export const WEIR_BIN = process.env.WEIR_TEST_BIN ?? fileURLToPath(new URL('../../bin/weir.cjs', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE_ENTRY = fileURLToPath(new URL('../../src-main/cli/index.ts', import.meta.url));

/**
 * Node's arguments that start the working tree's CLI: the bundle the integration tier built
 * from it for this run (WEIR_TEST_SOURCE_BIN, see source-cli.ts), or its source through tsx
 * (found from the repository: run it there).
 */
export function sourceCli(): string[] {
  const built = process.env.WEIR_TEST_SOURCE_BIN;
  return built ? [built] : ['--import', 'tsx', SOURCE_ENTRY];
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The signal that ended the process, if one did. */
  signal?: NodeJS.Signals | null;
}

/**
 * Runs the committed CLI bundle on plain Node, as a server would (`npx weir ...`); with
 * `fromSource`, the working tree's CLI instead (what it does before the bundle is rebuilt;
 * see sourceCli(); the repository is the default cwd then).
 */
export function runWeir(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; onStdout?: (chunk: string) => void; signal?: AbortSignal; fromSource?: boolean; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const entry = opts.fromSource ? sourceCli() : [WEIR_BIN];
    const child = spawn(process.execPath, [...entry, ...args], {
      cwd: opts.cwd ?? (opts.fromSource ? REPO : undefined),
      env: { ...process.env, ...opts.env },
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      // A command that hangs (what a hostile-file test looks for) is killed: its result has the signal.
      ...(opts.timeoutMs ? { timeout: opts.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
    });
    // A process that exits before reading its input (a refusal) must not fail the test with EPIPE.
    if (opts.input !== undefined) child.stdin!.on('error', () => {}).end(opts.input);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      opts.onStdout?.(c);
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    opts.signal?.addEventListener('abort', () => child.kill('SIGINT'));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, stdout, stderr, ...(signal ? { signal } : {}) }));
  });
}
