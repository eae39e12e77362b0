import { WeirError } from '../../shared/errors';
import type { GitDiffResult, GitStatusInfo } from '../../shared/api/git-schemas';
import { diffSummaryLine, formatPipelineDiff } from '../../shared/pipeline/semantic-diff-text';
import { diffPipelines } from '../../shared/pipeline/semantic-diff';
import { headCommit, pipelineOnDisk, type Engine, type PipelineDiffResult, type VersionSide } from '../engine';
import { insideWorkspace, workspaceRoot } from './paths';

/**
 * The designer's git methods, over the engine's git CLI wrapper (engine.git: src-main/engine/git/).
 * Paths in and out are workspace-relative; the engine works with absolute files.
 */

export async function gitStatus(engine: Engine, rootIn: string): Promise<GitStatusInfo> {
  const s = await engine.git.status(workspaceRoot(rootIn));
  return { isRepo: s.isRepo, branch: s.branch, head: s.head, files: s.files.map((f) => ({ path: f.path, state: f.state })) };
}

export async function gitCommit(engine: Engine, rootIn: string, files: string[], message: string) {
  const root = workspaceRoot(rootIn);
  const result = await engine.git.commit({ dir: root, files: files.map((f) => insideWorkspace(root, f)), message });
  return { ...result, files: [...result.files] };
}

export async function gitHistory(engine: Engine, rootIn: string, path: string, limit?: number) {
  const root = workspaceRoot(rootIn);
  await needRepo(engine, root);
  return { commits: await engine.git.history(insideWorkspace(root, path), { limit: limit ?? 200 }) };
}

/**
 * `from` → `to` (a revision each), `from` → the working copy, or by default HEAD → the
 * working copy. In a repository without commits every node of the working copy is new.
 */
export async function gitDiff(engine: Engine, rootIn: string, path: string, from?: string, to?: string, context?: number): Promise<GitDiffResult> {
  const root = workspaceRoot(rootIn);
  const repo = await needRepo(engine, root);
  const file = insideWorkspace(root, path);
  if (to && !from) throw new WeirError('usage', 'a diff "to" a revision needs a "from" revision');
  let result: PipelineDiffResult;
  if (!from && !(await headCommit(repo))) {
    const now = await pipelineOnDisk(file, 'working copy', false);
    const empty: VersionSide = { label: 'no commits yet', file, commit: null, exists: false, migratedFrom: null };
    const after: VersionSide = { label: now.label, file, commit: null, exists: now.text !== null, migratedFrom: now.parsed?.migratedFrom ?? null };
    result = { before: empty, after, diff: diffPipelines(null, now.parsed?.pipeline ?? null, { context }) };
  } else {
    result = await engine.git.diffRevisions(file, from ?? 'HEAD', to ?? null, { context });
  }
  const side = (s: VersionSide) => ({ label: s.label, commit: s.commit, exists: s.exists, migratedFrom: s.migratedFrom });
  return {
    before: side(result.before),
    after: side(result.after),
    diff: result.diff,
    text: formatPipelineDiff(result.diff, { beforeLabel: `${result.before.label} ${path}`, afterLabel: `${result.after.label} ${path}` }),
    summary: diffSummaryLine(result.diff),
  };
}

/** Writes the file as it was at `revision` (not committed); uncommitted changes need `confirm`. */
export async function gitRestore(engine: Engine, rootIn: string, path: string, revision: string, confirm: boolean) {
  const root = workspaceRoot(rootIn);
  await needRepo(engine, root);
  const r = await engine.git.restore(insideWorkspace(root, path), revision, { discardChanges: confirm });
  return { commit: r.commit, path, migratedFrom: r.migratedFrom };
}

async function needRepo(engine: Engine, root: string) {
  const repo = await engine.git.findRepo(root);
  if (!repo) throw new WeirError('usage', `${root} is not in a git repository (run "git init" there to version its pipelines)`);
  return repo;
}
