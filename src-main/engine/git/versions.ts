import { existsSync } from 'node:fs';
import { parsePipeline, type ParsedPipeline } from '../../../shared/pipeline/parse';
import type { Environment } from '../context';
import { readTextFile } from '../pipeline/read-text';
import { readAtCommit, resolveRevision, openRepoFor, type GitRepo } from './repo';

/** One version of a pipeline file: from a commit, or from the working tree. */
export interface PipelineVersion {
  /** How a person names it: "HEAD (3f2a9c1)", "working copy", or a file path. */
  label: string;
  file: string;
  /** The commit it was read from; null for a file on disk. */
  commit: string | null;
  /** The file's text; null when the file does not exist in that version. */
  text: string | null;
  parsed: ParsedPipeline | null;
}

/** A pipeline as it was at a revision (a commit id, branch, tag, HEAD~2...). */
export async function pipelineAtRevision(env: Environment, file: string, rev: string): Promise<PipelineVersion> {
  const { repo, path } = await openRepoFor(env, file);
  return versionAt(repo, path, file, rev);
}

export async function versionAt(repo: GitRepo, path: string, file: string, rev: string): Promise<PipelineVersion> {
  const commit = await resolveRevision(repo, rev);
  const text = await readAtCommit(repo, commit, path);
  const short = commit.slice(0, 7);
  const label = rev === commit || rev.startsWith(short) ? short : `${rev} (${short})`;
  // The message names the commit, so an invalid old version is told apart from the working copy.
  const parsed = text === null ? null : parsePipeline(text, `${path} at ${short}`);
  return { label, file, commit, text, parsed };
}

/** The file on disk; `mustExist: false` gives an empty version for a deleted file. */
export async function pipelineOnDisk(file: string, label = file, mustExist = true): Promise<PipelineVersion> {
  // Read like every pipeline file (read-text.ts): a FIFO or device is refused, never waited on.
  const text = !mustExist && !existsSync(file) ? null : (await readTextFile(file, 'pipeline file')).text;
  return { label, file, commit: null, text, parsed: text === null ? null : parsePipeline(text, file) };
}
