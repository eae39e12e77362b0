import { statSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { WeirError } from '../../../shared/errors';
import { WORKSPACE_FILE } from '../../../shared/workspace/schema';
import { realPathOf } from '../storage/real-path';
import type { Workspace } from '../workspace/workspace';

/**
 * Where a pipeline may read and write files (DESIGN, "Security"): inside its workspace, after
 * every symlink is followed, and never in Weir's own folder (`.weir/`: caches, run records,
 * the audit trail) or git's (`.git/`: its config can name commands git runs). Sinks may also
 * not write over pipeline files or the workspace file.
 */

/** Folders of a workspace that no node reads or writes. */
const PRIVATE_FOLDERS = ['.weir', '.git'];

function within(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** `p` relative to the real workspace root, or null when it is outside. */
function insideRoot(ws: Workspace, p: string): string | null {
  const root = realPathOf(ws.root);
  const real = realPathOf(p);
  return within(root, real) ? relative(root, real) : null;
}

function privateFolderOf(rel: string): string | null {
  const first = rel.split(sep)[0] ?? '';
  return PRIVATE_FOLDERS.includes(first) ? first : null;
}

/**
 * The absolute form of a path written in a pipeline (relative to the workspace), after
 * checking that it, and what it really is once symlinks are followed, stays inside the
 * workspace and outside `.weir/` and `.git/`. `who` starts the one-line error.
 */
export function containedPath(ws: Workspace, written: string, who: string): string {
  if (isAbsolute(written) || /^(~|[A-Za-z][A-Za-z0-9+.-]*:)/.test(written) || written.split(/[\\/]/).includes('..')) {
    throw new WeirError('invalid', `${who}: "${written}" is not a path inside the workspace (write it relative to ${ws.root})`);
  }
  const abs = resolve(ws.root, written);
  checkContained(ws, abs, who, written);
  return abs;
}

/** Checks a concrete path (a file a glob matched, say) the same way as containedPath. */
export function checkContained(ws: Workspace, abs: string, who: string, shown = relative(ws.root, abs)): void {
  const rel = insideRoot(ws, abs);
  if (rel === null) {
    throw new WeirError('invalid', `${who}: "${shown}" leads outside the workspace (to ${realPathOf(abs)}); a pipeline reads and writes only inside ${ws.root}`);
  }
  const priv = privateFolderOf(rel);
  if (priv) throw new WeirError('invalid', `${who}: "${shown}" is inside ${priv}/, which belongs to ${priv === '.git' ? 'git' : 'Weir (run records, audit trail, caches)'}`);
}

/** The folder part of a glob pattern before its first wildcard: what a source reads under. */
export function globBase(pattern: string): string {
  const parts = pattern.split('/');
  const i = parts.findIndex((p) => /[*?[{]/.test(p));
  return i === -1 ? pattern : parts.slice(0, i).join('/');
}

export interface SourceRead {
  /** The pipeline file that reads it. */
  pipeline: string;
  /** Absolute: a file, or the folder a glob reads under. */
  path: string;
  glob: boolean;
}

/**
 * Checks a sink's target before anything is written: inside the workspace (symlinks
 * followed), not in `.weir/` or `.git/`, not the workspace itself, not a pipeline or workspace
 * file nor a folder holding one, and clear of what sources read: it may not replace a folder
 * a source reads under (or hold one), nor land inside a folder a glob source reads. Writing
 * the very file that another pipeline reads is allowed (pipelines chained through a file).
 */
export function checkSinkTarget(ws: Workspace, target: string, who: string, reads: readonly SourceRead[], ownPipeline: string): void {
  checkContained(ws, target, who);
  const root = realPathOf(ws.root);
  const real = realPathOf(target);
  const shown = relative(ws.root, target) || '.';
  if (real === root) throw new WeirError('invalid', `${who}: "${shown}" is the workspace itself`);
  const name = basename(real);
  if (name.endsWith('.weir.json') || name === WORKSPACE_FILE) {
    throw new WeirError('invalid', `${who}: "${shown}" is a pipeline or workspace file; a sink may not write over it`);
  }
  for (const r of reads) {
    const read = realPathOf(r.path);
    const readShown = relative(ws.root, r.path) || '.';
    const from = r.pipeline === ownPipeline ? 'this pipeline' : relative(ws.root, r.pipeline);
    if (within(real, read) && !(read === real && !r.glob && r.pipeline !== ownPipeline)) {
      throw new WeirError('invalid', `${who}: writing "${shown}" would replace "${readShown}", which ${from} reads`);
    }
    if (r.glob && within(read, real)) {
      throw new WeirError('invalid', `${who}: "${shown}" is inside "${readShown}", which ${from} reads with a glob; write outputs elsewhere (e.g. data/curated/)`);
    }
  }
}

/** The target's kind as it is now: absent, a regular file, a folder, or something else. */
export function targetKind(path: string): 'absent' | 'file' | 'folder' | 'other' {
  try {
    const st = statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'folder' : 'other';
  } catch {
    return 'absent';
  }
}
