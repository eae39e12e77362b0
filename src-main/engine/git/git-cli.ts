import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { WeirError } from '../../../shared/errors';
import type { Environment } from '../context';
import { commandGuardArgs } from './command-guard';

/**
 * Runs the git CLI. We use the installed git rather than a JavaScript reimplementation so
 * that status, commits, merges, hooks, attributes and config behave exactly as in the
 * user's own terminal (see docs/git.md).
 */

export interface GitRun {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GitOptions {
  /** Exit codes that are answers rather than failures (e.g. 1 for `git diff --quiet`). */
  okCodes?: number[];
  /** Extra `-c key=value` settings for this one call. */
  config?: Record<string, string>;
  input?: string;
}

const MAX_BUFFER = 64 * 1024 * 1024;

/**
 * `env` is the environment git starts with: the engine context's process's environment (git
 * reads its own configuration from it: HOME, GIT_*, EMAIL), plus the two settings below.
 */
export async function git(env: Environment, cwd: string, args: string[], opts: GitOptions = {}): Promise<GitRun> {
  const configArgs = Object.entries(opts.config ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const guard = await commandGuardArgs(env, cwd, args[0]);
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      'git',
      [...guard, ...configArgs, ...args],
      {
        cwd,
        maxBuffer: MAX_BUFFER,
        encoding: 'utf8',
        // Never prompt for credentials; never take optional locks (the user's own git may be running).
        env: { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : -1) : 0;
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new WeirError('usage', 'git is not installed or not on PATH (Weir uses the git command line for versioning)'));
          return;
        }
        if (code === 0 || opts.okCodes?.includes(code)) {
          resolvePromise({ stdout, stderr, code });
          return;
        }
        reject(new WeirError('invalid', `git ${args[0]}: ${gitMessage(stderr) || `exit code ${code}`}`));
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** A git process started now and given its standard input later (`finish`). */
export interface GitProcess {
  /** Writes `input`, closes standard input and waits for git's answer (rejected as `git()` rejects). */
  finish(input: string): Promise<GitRun>;
}

/**
 * Starts git now and feeds it later: a process that will hold a large DuckDB catalog by the
 * time it needs git forks it while it is still small (a fork copies the page tables: about
 * 80 ms per GiB of memory here), and hands it its input at the end. Never throws: a git that
 * cannot start rejects in `finish`.
 */
export async function startGit(env: Environment, cwd: string, args: string[], opts: Omit<GitOptions, 'input'> = {}): Promise<GitProcess> {
  const configArgs = Object.entries(opts.config ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const guard = await commandGuardArgs(env, cwd, args[0]);
  let child: ChildProcess;
  let failure: Error | null = null;
  try {
    child = spawn('git', [...guard, ...configArgs, ...args], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
    });
  } catch (e) {
    return { finish: () => Promise.reject(e instanceof Error ? e : new Error(String(e))) };
  }
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c.slice(0, MAX_BUFFER - stdout.length)));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c.slice(0, MAX_BUFFER - stderr.length)));
  // A git that died early makes the write fail (EPIPE): the exit code below says why.
  child.stdin?.on('error', () => {});
  const exited = new Promise<number>((resolve) => {
    child.on('error', (e) => {
      failure = (e as NodeJS.ErrnoException).code === 'ENOENT' ? new WeirError('usage', 'git is not installed or not on PATH (Weir uses the git command line for versioning)') : e;
      resolve(-1);
    });
    child.on('close', (code) => resolve(code ?? -1));
  });
  return {
    async finish(input) {
      child.stdin?.end(input);
      const code = await exited;
      if (failure) throw failure;
      if (code === 0 || opts.okCodes?.includes(code)) return { stdout, stderr, code };
      throw new WeirError('invalid', `git ${args[0]}: ${gitMessage(stderr) || `exit code ${code}`}`);
    },
  };
}

/** The line of git's stderr that says what went wrong, without "fatal: " or "error: ". */
export function gitMessage(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const main = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? '';
  return main.replace(/^(fatal|error):\s*/, '');
}
