import { execFile } from 'node:child_process';
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

/** The line of git's stderr that says what went wrong, without "fatal: " or "error: ". */
export function gitMessage(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const main = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? '';
  return main.replace(/^(fatal|error):\s*/, '');
}
