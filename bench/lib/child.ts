import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './dataset';

const WORKER = join(REPO, 'bench', 'worker.ts');

/**
 * Runs one bench task in a fresh Node process (bench/worker.ts), so that every measured
 * run starts from the same state: no DuckDB buffers, JIT or memo left by the previous one,
 * and its own peak memory. The task times itself; process start-up is not in its figure.
 */
export function runTask<T>(task: string, args: unknown, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; nodeFlags?: string[] } = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), '--import', 'tsx', WORKER, task, JSON.stringify(args)], {
      cwd: REPO,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30 * 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(JSON.parse(last) as T);
        return;
      }
      reject(new Error(`bench task ${task} failed (exit ${code}): ${(err || out).trim().split('\n').slice(-8).join('\n')}`));
    });
  });
}
