import { rename, writeFile } from 'node:fs/promises';
import { WeirError } from '../../../shared/errors';
import type { Environment } from '../context';
import { git } from './git-cli';
import { headCommit, openRepoFor, type GitRepo } from './repo';
import { versionAt } from './versions';

export interface RestoreResult {
  commit: string;
  /** Repository path of the restored file. */
  path: string;
  /** The restored version was in an older file format; it is migrated when opened. */
  migratedFrom: number | null;
}

/**
 * Writes the pipeline as it was at `rev` into the working tree (not staged, not committed:
 * the user reviews it and commits it like any other edit). Uncommitted changes to the file
 * are refused unless `discardChanges` says the user agreed to lose them.
 */
export async function restorePipeline(env: Environment, file: string, rev: string, opts: { discardChanges?: boolean } = {}): Promise<RestoreResult> {
  const { repo, path, abs } = await openRepoFor(env, file);
  const version = await versionAt(repo, path, file, rev);
  if (version.text === null || !version.parsed) {
    throw new WeirError('usage', `${path} does not exist at ${version.label}`);
  }
  if (!opts.discardChanges && (await hasUncommittedChanges(repo, path, await headCommit(repo)))) {
    throw new WeirError('usage', `${path} has uncommitted changes; commit them first, or restore with discardChanges to drop them`);
  }
  // Write then rename, so a crash never leaves half a pipeline file.
  const tmp = `${abs}.weir-restore-${process.pid}`;
  await writeFile(tmp, version.text, 'utf8');
  await rename(tmp, abs);
  return { commit: version.commit as string, path, migratedFrom: version.parsed.migratedFrom };
}

async function hasUncommittedChanges(repo: GitRepo, path: string, head: string | null): Promise<boolean> {
  const status = await git(repo.env, repo.root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', `:(literal)${path}`]);
  if (!status.stdout) return false;
  // A deleted file has nothing to lose.
  const xy = status.stdout.slice(0, 2);
  return !(head && xy.includes('D'));
}
