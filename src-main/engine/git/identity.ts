import { hostname, userInfo } from 'node:os';
import { git } from './git-cli';
import type { GitRepo } from './repo';

export interface GitIdentity {
  name: string;
  email: string;
}

/**
 * Who commits: whatever git itself would use (user.name / user.email, the GIT_AUTHOR_* and
 * GIT_COMMITTER_* variables, EMAIL), else a fallback so a first commit on a fresh machine
 * does not fail with git's "Please tell me who you are". The caller is told which was used.
 */
export async function commitIdentity(repo: GitRepo, fallback?: GitIdentity): Promise<{ identity: GitIdentity; fallback: boolean }> {
  const [author, committer] = await Promise.all([identVar(repo, 'GIT_AUTHOR_IDENT'), identVar(repo, 'GIT_COMMITTER_IDENT')]);
  if (author && committer) return { identity: author, fallback: false };
  // Keep the half git does know (e.g. a name without an email).
  const [name, email] = await Promise.all([configValue(repo, 'user.name'), configValue(repo, 'user.email')]);
  const fb = fallback ?? defaultFallbackIdentity();
  return { identity: { name: name ?? fb.name, email: email ?? fb.email }, fallback: true };
}

async function identVar(repo: GitRepo, variable: string): Promise<GitIdentity | null> {
  const run = await git(repo.env, repo.root, ['var', variable], { okCodes: [128] });
  const m = /^(.*) <(.*)> \d+ [+-]\d{4}$/.exec(run.stdout.trim());
  return run.code === 0 && m ? { name: m[1] as string, email: m[2] as string } : null;
}

/** The operating-system account, which is what an auditor would otherwise have to go on. */
export function defaultFallbackIdentity(): GitIdentity {
  let user = 'weir';
  try {
    user = userInfo().username || user;
  } catch {
    // no passwd entry (some containers): keep "weir"
  }
  const host = hostname() || 'localhost';
  return { name: user, email: `${user}@${host.includes('.') ? host : `${host}.local`}` };
}

async function configValue(repo: GitRepo, key: string): Promise<string | undefined> {
  const run = await git(repo.env, repo.root, ['config', '--get', key], { okCodes: [1] });
  const v = run.stdout.trim();
  return run.code === 0 && v ? v : undefined;
}
