import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const WEIR_BIN = fileURLToPath(new URL('../../bin/weir.cjs', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the committed CLI bundle on plain Node, as a server would (`npx weir ...`). */
export function runWeir(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; onStdout?: (chunk: string) => void; signal?: AbortSignal } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WEIR_BIN, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      opts.onStdout?.(c);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    opts.signal?.addEventListener('abort', () => child.kill('SIGINT'));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
