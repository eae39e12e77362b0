import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { pipelineWorkspace } from '../../engine';
import { UsageError } from './exit-codes';

/**
 * `weir run` against an environment marked `protected: true` in weir.workspace.json (issue
 * #15 item 9). A person at a terminal is asked first, as the designer asks, since a
 * production run typed where a dev run was meant publishes where others read. Nothing changes
 * for what runs without a terminal (cron, CI, Dagster, Airflow, a Kubernetes Job): stdin is not
 * a TTY there, and `--env prod` in a job's definition is the decision. `--yes` skips the
 * question in a terminal too.
 */

export interface Prompt {
  /** A person can answer: stdin and stderr are a terminal. */
  interactive: boolean;
  ask(question: string): Promise<string>;
}

const terminal: Prompt = {
  interactive: process.stdin.isTTY === true && process.stderr.isTTY === true,
  async ask(question) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
};

/** The protected environment a run of `file` would use (`env`, else the workspace's default), or null. */
export function protectedEnvironmentOf(file: string, env: string | undefined): string | null {
  try {
    const ws = pipelineWorkspace(resolve(file));
    const name = env ?? ws.file.default_environment;
    return ws.file.environments[name]?.protected ? name : null;
  } catch {
    return null; // no readable workspace file: the run's own checks say what is wrong
  }
}

/** Resolves when the run may go ahead; a "no" ends the command before anything ran (exit 2). */
export async function confirmProtectedRun(file: string, env: string | undefined, yes: boolean, prompt: Prompt = terminal): Promise<void> {
  if (yes || !prompt.interactive) return;
  const name = protectedEnvironmentOf(file, env);
  if (!name) return;
  const answer = await prompt.ask(`weir: "${name}" is a protected environment (weir.workspace.json). Run ${file} against it? [y/N] `);
  if (!/^\s*y(es)?\s*$/i.test(answer)) throw new UsageError(`not run: "${name}" is a protected environment; answer y, or pass --yes`);
}
