import { basename, dirname } from 'node:path';
import type { Environment } from '../context';
import { git } from '../git/git-cli';
import { outsideAnyRepository } from '../git/no-repository';

export interface GitInfo {
  commit: string | null;
  dirty: boolean | null;
}

/** One git answer, or null when git is missing, the folder is no repository, or it failed. */
async function gitOut(env: Environment, cwd: string, args: string[]): Promise<string | null> {
  try {
    return (await git(env, cwd, args)).stdout.trim();
  } catch {
    return null;
  }
}

/**
 * The commit a pipeline file was run from, and whether the file differs from it. Through
 * the project's git(), so a run never takes an optional lock (index.lock) while the user's
 * own git is working.
 */
export async function gitInfo(env: Environment, file: string): Promise<GitInfo> {
  const cwd = dirname(file);
  if (outsideAnyRepository(env, cwd)) return { commit: null, dirty: null };
  const commit = await gitOut(env, cwd, ['rev-parse', 'HEAD']);
  if (!commit) return { commit: null, dirty: null };
  const status = await gitOut(env, cwd, ['status', '--porcelain', '--', basename(file)]);
  return { commit, dirty: status === null ? null : status.length > 0 };
}
