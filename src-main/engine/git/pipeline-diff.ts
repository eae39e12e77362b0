import { diffPipelines, type DiffOptions, type PipelineDiff } from '../../../shared/pipeline/semantic-diff';
import { WeirError } from '../../../shared/errors';
import type { Environment } from '../context';
import { headCommit, openRepoFor } from './repo';
import { pipelineOnDisk, versionAt, type PipelineVersion } from './versions';

export interface VersionSide {
  label: string;
  file: string;
  commit: string | null;
  exists: boolean;
  /** The version was written in an older file format (compared after migrating it). */
  migratedFrom: number | null;
}

export interface PipelineDiffResult {
  before: VersionSide;
  after: VersionSide;
  diff: PipelineDiff;
}

function side(v: PipelineVersion): VersionSide {
  return { label: v.label, file: v.file, commit: v.commit, exists: v.text !== null, migratedFrom: v.parsed?.migratedFrom ?? null };
}

function compare(a: PipelineVersion, b: PipelineVersion, opts: DiffOptions): PipelineDiffResult {
  return { before: side(a), after: side(b), diff: diffPipelines(a.parsed?.pipeline ?? null, b.parsed?.pipeline ?? null, opts) };
}

/** Two pipeline files on disk (e.g. an export and the workspace copy). */
export async function diffPipelineFiles(a: string, b: string, opts: DiffOptions = {}): Promise<PipelineDiffResult> {
  // One after the other so that, with both files missing, the error names the first one every time.
  const va = await pipelineOnDisk(a);
  const vb = await pipelineOnDisk(b);
  return compare(va, vb, opts);
}

/** The last commit against the working copy: what a commit now would record. */
export async function diffWorkingCopy(env: Environment, file: string, opts: DiffOptions = {}): Promise<PipelineDiffResult> {
  return diffRevisions(env, file, 'HEAD', null, opts);
}

/**
 * One file between two revisions, or between `from` and the working copy when `to` is
 * null. A side where the file does not exist compares as empty (every node added or removed).
 */
export async function diffRevisions(env: Environment, file: string, from: string, to: string | null, opts: DiffOptions = {}): Promise<PipelineDiffResult> {
  const { repo, path } = await openRepoFor(env, file);
  if (from === 'HEAD' && !(await headCommit(repo))) {
    throw new WeirError('usage', `the repository at ${repo.root} has no commits yet: nothing to compare ${path} with`);
  }
  const before = await versionAt(repo, path, file, from);
  const after = to === null ? await pipelineOnDisk(file, 'working copy', false) : await versionAt(repo, path, file, to);
  if (before.text === null && after.text === null) {
    throw new WeirError('usage', `${path} exists in neither ${before.label} nor ${after.label}`);
  }
  return compare(before, after, opts);
}
