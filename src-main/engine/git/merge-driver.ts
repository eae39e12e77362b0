import { appendFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline } from '../../../shared/pipeline/schema';
import type { Environment } from '../context';
import { git } from './git-cli';
import { mergePipelines, type MergeConflict } from './merge-pipelines';
import { openRepo } from './repo';
import { readRegularText } from '../host/regular-file';

/**
 * The git merge driver for `*.weir.json` (`merge=weir` in .gitattributes): git calls it
 * with the common ancestor, our version (where the result goes) and theirs. A structural
 * merge writes the canonical merged file; where it finds a real conflict, or a version
 * does not parse, it falls back to git's own line merge, so the user sees the usual
 * conflict markers and git reports the conflict as always.
 */

export interface MergeDriverRequest {
  base: string;
  ours: string;
  theirs: string;
  /** The file's path in the repository, for messages and conflict-marker labels. */
  path?: string;
}

export interface MergeDriverResult {
  clean: boolean;
  /** 'structural': merged by node; 'text': git's line merge was used (and had conflicts or was clean). */
  method: 'structural' | 'text';
  conflicts: MergeConflict[];
}

async function parseOrNull(file: string, allowEmpty: boolean): Promise<Pipeline | null | 'invalid'> {
  const text = await readRegularText(file);
  if (allowEmpty && text.trim() === '') return null;
  try {
    return parsePipeline(text, file).pipeline;
  } catch {
    return 'invalid';
  }
}

export async function runMergeDriver(env: Environment, req: MergeDriverRequest): Promise<MergeDriverResult> {
  const [base, ours, theirs] = await Promise.all([parseOrNull(req.base, true), parseOrNull(req.ours, false), parseOrNull(req.theirs, false)]);
  if (base !== 'invalid' && ours && ours !== 'invalid' && theirs && theirs !== 'invalid') {
    const r = mergePipelines(base, ours, theirs);
    if (r.merged) {
      const tmp = `${req.ours}.weir-merge`;
      await writeFile(tmp, serializePipeline(r.merged), 'utf8');
      await rename(tmp, req.ours);
      return { clean: true, method: 'structural', conflicts: [] };
    }
    return { ...(await textMerge(env, req)), conflicts: r.conflicts };
  }
  const unparsable = [base === 'invalid' && 'base', ours === 'invalid' && 'ours', theirs === 'invalid' && 'theirs'].filter(Boolean);
  return { ...(await textMerge(env, req)), conflicts: [{ path: '', message: `not a valid pipeline on the ${unparsable.join(', ')} side; merged as text` }] };
}

async function textMerge(env: Environment, req: MergeDriverRequest): Promise<{ clean: boolean; method: 'text' }> {
  const label = req.path ?? 'pipeline';
  // Exit code: the number of conflicts (0 = clean), as git's own merge would have found.
  const run = await git(env, dirname(req.ours), ['merge-file', '-L', `ours:${label}`, '-L', `base:${label}`, '-L', `theirs:${label}`, req.ours, req.base, req.theirs], {
    okCodes: Array.from({ length: 127 }, (_, i) => i + 1),
  });
  return { clean: run.code === 0, method: 'text' };
}

/** Quotes a word for the POSIX shell git runs merge drivers with. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Registers the driver in the repository's own config (git does not version drivers) and
 * names it for `*.weir.json` in the top-level .gitattributes. `command` is how to start
 * weir, e.g. ["node", "/opt/weir/bin/weir.cjs"] or ["weir"].
 */
export async function installMergeDriver(env: Environment, dir: string, command: string[]): Promise<{ root: string; attributesAdded: boolean }> {
  const repo = await openRepo(env, dir);
  const driver = `${command.map(shellWord).join(' ')} merge-driver %O %A %B %P`;
  await git(repo.env, repo.root, ['config', 'merge.weir.name', 'Weir pipeline merge (by node id)']);
  await git(repo.env, repo.root, ['config', 'merge.weir.driver', driver]);
  const attributes = join(repo.root, '.gitattributes');
  let current = '';
  try {
    current = await readRegularText(attributes);
  } catch {
    // no .gitattributes yet
  }
  if (/^\*\.weir\.json\s.*\bmerge=weir\b/m.test(current)) return { root: repo.root, attributesAdded: false };
  const sep = current && !current.endsWith('\n') ? '\n' : '';
  await appendFile(attributes, `${sep}${WEIR_ATTRIBUTES}\n`);
  return { root: repo.root, attributesAdded: true };
}

/** What docs/git.md proposes for every workspace repository. */
export const WEIR_ATTRIBUTES = '*.weir.json text eol=lf merge=weir';
