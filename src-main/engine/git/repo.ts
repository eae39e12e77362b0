import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { WeirError } from '../../../shared/errors';
import type { Environment } from '../context';
import { git } from './git-cli';

export interface GitRepo {
  /** The work tree's top folder, with symlinks resolved. */
  root: string;
  /** The environment git runs with in it (the engine context's processEnv). */
  env: Environment;
}

/** The repository holding `dir`, or null when it is not inside one. */
export async function findRepo(env: Environment, dir: string): Promise<GitRepo | null> {
  const run = await git(env, realDir(dir), ['rev-parse', '--show-toplevel'], { okCodes: [128] });
  if (run.code !== 0) return null;
  return { root: realDir(run.stdout.trim()), env };
}

export async function openRepo(env: Environment, dir: string): Promise<GitRepo> {
  const repo = await findRepo(env, dir);
  if (!repo) throw new WeirError('usage', `${dir} is not inside a git repository (run "git init" there to version its pipelines)`);
  return repo;
}

/** The repository holding a file (which need not exist), and the file's path in it. */
export async function openRepoFor(env: Environment, file: string): Promise<{ repo: GitRepo; path: string; abs: string }> {
  const abs = absFile(file);
  const repo = await openRepo(env, dirname(abs));
  return { repo, path: repoPath(repo, abs), abs };
}

/** `file` relative to the repository root, with forward slashes, as git names it. */
export function repoPath(repo: GitRepo, file: string): string {
  const rel = relative(repo.root, absFile(file));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new WeirError('usage', `${file} is outside the git repository at ${repo.root}`);
  }
  return rel.split(sep).join('/');
}

/** An absolute path with its folder's symlinks resolved (the file itself may not exist). */
export function absFile(file: string): string {
  const abs = resolve(file);
  return join(realDir(dirname(abs)), basename(abs));
}

function realDir(dir: string): string {
  try {
    return realpathSync(resolve(dir));
  } catch {
    return resolve(dir);
  }
}

/** Full commit id of a revision, or a one-line error naming it. */
export async function resolveRevision(repo: GitRepo, rev: string): Promise<string> {
  if (rev.startsWith('-')) throw new WeirError('usage', `"${rev}" is not a revision`);
  const run = await git(repo.env, repo.root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { okCodes: [1, 128] });
  const sha = run.stdout.trim();
  if (run.code !== 0 || !sha) throw new WeirError('usage', `unknown revision "${rev}" in ${repo.root}`);
  return sha;
}

/** The commit HEAD points at, or null in a repository with no commits yet. */
export async function headCommit(repo: GitRepo): Promise<string | null> {
  const run = await git(repo.env, repo.root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { okCodes: [1, 128] });
  return run.code === 0 ? run.stdout.trim() || null : null;
}

/** The text of a file at a commit, or null when the file does not exist there. */
export async function readAtCommit(repo: GitRepo, commit: string, path: string): Promise<string | null> {
  const type = await git(repo.env, repo.root, ['cat-file', '-t', `${commit}:${path}`], { okCodes: [128] });
  if (type.code !== 0) return null;
  if (type.stdout.trim() !== 'blob') throw new WeirError('usage', `${path} is not a file at ${commit.slice(0, 7)}`);
  return (await git(repo.env, repo.root, ['cat-file', 'blob', `${commit}:${path}`])).stdout;
}
