import { realpath } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { Environment } from '../../context';
import { git, type GitOptions } from '../../git/git-cli';
import { outsideAnyRepository } from '../../git/no-repository';

/**
 * The git anchor: the audit trail's head (seq + hash) recorded as a commit on the dedicated
 * ref `refs/weir/audit` of the workspace's repository. Only plumbing is used (mktree,
 * commit-tree, update-ref, log; a run's own anchor: fast-import, anchor-writer.ts): the
 * user's branch, index and work tree are never touched.
 * A workspace's repository may be hostile: hooks are switched off (update-ref would run the
 * reference-transaction hook), and so are commit signing and fsmonitor, so that nothing in
 * its config runs a command.
 */
export const ANCHOR_REF = 'refs/weir/audit';
export const ANCHOR_FORMAT = 'weir.audit-anchor';
const EMPTY_TREE_SHA1 = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export interface GitAnchor {
  format: typeof ANCHOR_FORMAT;
  version: 1;
  /** The workspace's folder inside the repository (`.` at its top), so one repository can hold several workspaces' anchors. */
  workspace: string;
  seq: number;
  hash: string;
  runId: string;
  type: string;
  at: string;
}

export const SAFE_GIT_CONFIG: Readonly<Record<string, string>> = { 'core.hooksPath': '/dev/null', 'commit.gpgSign': 'false', 'core.fsmonitor': 'false' };
export const ANCHOR_IDENTITY = { GIT_AUTHOR_NAME: 'weir audit', GIT_AUTHOR_EMAIL: 'weir-audit@localhost', GIT_COMMITTER_NAME: 'weir audit', GIT_COMMITTER_EMAIL: 'weir-audit@localhost' } as const;

export function safeGit(env: Environment, cwd: string, args: string[], o: GitOptions = {}) {
  return git({ ...env, ...ANCHOR_IDENTITY }, cwd, args, { ...o, config: { ...SAFE_GIT_CONFIG, ...(o.config ?? {}) } });
}

/** The repository's top folder and the workspace's place in it, or null when the workspace is not in one. */
export async function anchorRepo(env: Environment, workspaceRoot: string): Promise<{ top: string; workspace: string } | null> {
  if (outsideAnyRepository(env, workspaceRoot)) return null;
  let top: string;
  try {
    top = (await safeGit(env, workspaceRoot, ['rev-parse', '--show-toplevel'])).stdout.trim();
  } catch {
    return null;
  }
  if (!top) return null;
  const rel = relative(await realpath(top), await realpath(workspaceRoot)).split(sep).join('/');
  return { top, workspace: rel === '' ? '.' : rel };
}

export type AnchorRepo = Awaited<ReturnType<typeof anchorRepo>>;

/**
 * Records `head` on the anchor ref (a new commit whose parent is the ref's last one). `known`:
 * the repository as asked when the run started, while the process was small (each git process
 * started by a process holding a big DuckDB catalog costs about 80 ms of forking per GiB).
 */
export async function writeGitAnchor(
  env: Environment,
  workspaceRoot: string,
  head: Omit<GitAnchor, 'format' | 'version' | 'workspace'>,
  known?: Promise<AnchorRepo>,
): Promise<GitAnchor | null> {
  const repo = await (known ?? anchorRepo(env, workspaceRoot));
  if (!repo) return null;
  const anchor: GitAnchor = { format: ANCHOR_FORMAT, version: 1, workspace: repo.workspace, ...head };
  const old = (await safeGit(env, repo.top, ['rev-parse', '-q', '--verify', `${ANCHOR_REF}^{commit}`], { okCodes: [1] })).stdout.trim();
  // The empty tree of a SHA-1 repository is a constant git knows without storing it; a
  // SHA-256 repository has its own, written by mktree.
  const tree = old.length === 64 || !old ? (await safeGit(env, repo.top, ['mktree'], { input: '' })).stdout.trim() : EMPTY_TREE_SHA1;
  const message = anchorCommitMessage(anchor);
  const commit = (await safeGit(env, repo.top, ['commit-tree', '--no-gpg-sign', tree, ...(old ? ['-p', old] : []), '-F', '-'], { input: message })).stdout.trim();
  // Compare-and-swap: a concurrent anchor makes this fail rather than drop the other's commit.
  await safeGit(env, repo.top, ['update-ref', '-m', `weir audit seq ${anchor.seq}`, ANCHOR_REF, commit, old || '0'.repeat(40)]);
  return anchor;
}

/** The anchor commit's message: a title, then the anchor as one line of JSON (readGitAnchors reads it). */
export function anchorCommitMessage(anchor: GitAnchor): string {
  return `weir audit anchor: seq ${anchor.seq}\n\n${JSON.stringify(anchor)}\n`;
}

/** Every anchor of this workspace on the ref, oldest first; [] when there is no ref or no repository. */
export async function readGitAnchors(
  env: Environment,
  workspaceRoot: string,
  ref = ANCHOR_REF,
  known?: Promise<AnchorRepo>,
): Promise<{ repo: string | null; anchors: (GitAnchor & { commit: string })[] }> {
  const repo = await (known ?? anchorRepo(env, workspaceRoot));
  if (!repo) return { repo: null, anchors: [] };
  const exists = (await safeGit(env, repo.top, ['rev-parse', '-q', '--verify', `${ref}^{commit}`], { okCodes: [1] })).stdout.trim();
  if (!exists) return { repo: repo.top, anchors: [] };
  const out = (await safeGit(env, repo.top, ['log', '--reverse', '--format=%H%n%B%x1e', ref])).stdout;
  const anchors: (GitAnchor & { commit: string })[] = [];
  for (const block of out.split('\x1e')) {
    const text = block.trim();
    if (!text) continue;
    const [commit, ...rest] = text.split('\n');
    const json = rest.find((l) => l.startsWith('{'));
    if (!json) continue;
    try {
      const a = JSON.parse(json) as GitAnchor;
      if (a.format === ANCHOR_FORMAT && a.workspace === repo.workspace && Number.isInteger(a.seq) && typeof a.hash === 'string') anchors.push({ ...a, commit: commit! });
    } catch {
      // A commit on the ref that is not an anchor: not Weir's, ignored.
    }
  }
  return { repo: repo.top, anchors };
}
