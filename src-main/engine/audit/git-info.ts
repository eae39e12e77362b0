import { basename, dirname } from 'node:path';
import { git } from '../git/git-cli';

export interface GitInfo {
  commit: string | null;
  dirty: boolean | null;
}

/** One git answer, or null when git is missing, the folder is no repository, or it failed. */
async function gitOut(cwd: string, args: string[]): Promise<string | null> {
  try {
    return (await git(cwd, args)).stdout.trim();
  } catch {
    return null;
  }
}

/**
 * The commit a pipeline file was run from, and whether the file differs from it. Through
 * the project's git(), so a run never takes an optional lock (index.lock) while the user's
 * own git is working.
 */
export async function gitInfo(file: string): Promise<GitInfo> {
  const cwd = dirname(file);
  const commit = await gitOut(cwd, ['rev-parse', 'HEAD']);
  if (!commit) return { commit: null, dirty: null };
  const status = await gitOut(cwd, ['status', '--porcelain', '--', basename(file)]);
  return { commit, dirty: status === null ? null : status.length > 0 };
}
