import { WeirError } from '../../../shared/errors';
import type { Environment } from '../context';
import { git } from './git-cli';
import { commitIdentity, type GitIdentity } from './identity';
import { openRepo, repoPath } from './repo';

export interface CommitRequest {
  /** The workspace folder (any folder inside the repository). */
  dir: string;
  /** The pipeline files to commit (absolute, or relative to the current directory). */
  files: string[];
  message: string;
  /** Used when git has no user.name / user.email; defaults to the OS account. */
  fallbackIdentity?: GitIdentity;
}

export interface CommitResult {
  commit: string;
  shortCommit: string;
  author: GitIdentity;
  /** git had no identity configured, so `author` is the fallback. */
  usedFallbackIdentity: boolean;
  /** Repository paths of the files in the commit. */
  files: string[];
}

/**
 * Commits exactly the chosen files (new, modified or deleted) with a message, leaving
 * anything else the user has staged or changed as it was (`git commit --only`).
 */
export async function commitPipelines(env: Environment, req: CommitRequest): Promise<CommitResult> {
  const message = req.message.trim();
  if (!message) throw new WeirError('usage', 'a commit needs a message');
  if (!req.files.length) throw new WeirError('usage', 'choose at least one pipeline to commit');
  const repo = await openRepo(env, req.dir);
  const paths = [...new Set(req.files.map((f) => repoPath(repo, f)))];
  const literal = paths.map((p) => `:(literal)${p}`);
  // Stages new files and removals too; only these paths.
  await git(repo.env, repo.root, ['add', '--all', '--', ...literal]);
  const staged = await git(repo.env, repo.root, ['diff', '--no-ext-diff', '--no-textconv', '--cached', '--quiet', '--', ...literal], { okCodes: [1] });
  if (staged.code === 0) {
    throw new WeirError('usage', `nothing to commit: ${paths.join(', ')} ${paths.length === 1 ? 'is' : 'are'} unchanged since the last commit`);
  }
  const { identity, fallback } = await commitIdentity(repo, req.fallbackIdentity);
  const config = fallback ? { 'user.name': identity.name, 'user.email': identity.email } : undefined;
  await git(repo.env, repo.root, ['commit', '--quiet', '--only', '--file=-', '--', ...literal], { config, input: `${message}\n` });
  const head = await git(repo.env, repo.root, ['log', '-1', '--format=%H%x00%h%x00%an%x00%ae']);
  const [commit = '', shortCommit = '', name = '', email = ''] = head.stdout.trim().split('\0');
  return { commit, shortCommit, author: { name, email }, usedFallbackIdentity: fallback, files: paths };
}
