import { relative, sep } from 'node:path';
import type { Environment } from '../context';
import { git } from './git-cli';
import { absFile, findRepo, headCommit, type GitRepo } from './repo';

/**
 * new: never committed (untracked, or added but not committed yet);
 * modified: differs from the last commit (staged or not);
 * committed: the working copy is the committed version;
 * deleted: committed, but gone from the working tree (or staged for removal);
 * conflicted: an unfinished merge left conflict markers in it.
 */
export type PipelineGitState = 'new' | 'modified' | 'committed' | 'deleted' | 'conflicted';

export interface PipelineStatus {
  /** Relative to the folder asked about, with forward slashes. */
  path: string;
  /** Relative to the repository root, as git names it. */
  repoPath: string;
  state: PipelineGitState;
  /** Some of its change is staged in git's index (only matters to users of the git CLI). */
  staged: boolean;
}

export interface WorkspaceGitStatus {
  /** False when the folder is not in a git repository: versioning is then unavailable. */
  isRepo: boolean;
  root: string | null;
  branch: string | null;
  head: string | null;
  files: PipelineStatus[];
}

const PIPELINES = '*.weir.json';
const CONFLICT = new Set(['DD', 'AU', 'UD', 'UA', 'DU', 'AA', 'UU']);

/** The git state of every `*.weir.json` under `dir` (a workspace folder). */
export async function pipelineStatuses(env: Environment, dir: string): Promise<WorkspaceGitStatus> {
  const repo = await findRepo(env, dir);
  if (!repo) return { isRepo: false, root: null, branch: null, head: null, files: [] };
  const base = absFile(dir);
  const [branchRun, head, tracked, status] = await Promise.all([
    git(repo.env, repo.root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { okCodes: [1, 128] }),
    headCommit(repo),
    // A pathspec's "*" also matches "/", so this finds pipelines in every subfolder.
    git(env, base, ['ls-files', '-z', '--full-name', '--', PIPELINES]),
    git(env, base, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', PIPELINES]),
  ]);
  const byPath = new Map<string, PipelineStatus>();
  const entry = (p: string, state: PipelineGitState, staged: boolean): PipelineStatus => ({
    path: relToBase(repo, base, p),
    repoPath: p,
    state,
    staged,
  });
  for (const p of tracked.stdout.split('\0').filter(Boolean)) byPath.set(p, entry(p, 'committed', false));
  const records = status.stdout.split('\0');
  for (let i = 0; i < records.length; i++) {
    const rec = records[i] as string;
    if (rec.length < 4) continue;
    const xy = rec.slice(0, 2);
    const p = rec.slice(3);
    // A rename or copy is followed by its origin path, which is not a file of its own.
    if (xy[0] === 'R' || xy[0] === 'C') i++;
    byPath.set(p, entry(p, stateOf(xy), xy[0] !== ' ' && xy[0] !== '?'));
  }
  const files = [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
  return { isRepo: true, root: repo.root, branch: branchRun.code === 0 ? branchRun.stdout.trim() : null, head, files };
}

function stateOf(xy: string): PipelineGitState {
  if (CONFLICT.has(xy)) return 'conflicted';
  // Untracked, or added to the index but not in any commit yet.
  if (xy === '??' || xy[0] === 'A') return 'new';
  if (xy.includes('D')) return 'deleted';
  return 'modified';
}

function relToBase(repo: GitRepo, base: string, p: string): string {
  const abs = `${repo.root}/${p}`;
  return relative(base, abs).split(sep).join('/');
}
