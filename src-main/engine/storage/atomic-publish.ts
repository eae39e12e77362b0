import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A sibling temporary path (same folder, so the final rename stays on one file system). */
export function stagingPath(target: string, runId: string): string {
  return join(dirname(target), `.${basename(target)}.weir-${runId}.tmp`);
}

/** Where publishPath keeps the previous folder while the new one is renamed in. */
function asidePath(staged: string): string {
  return `${staged}.old`;
}

/**
 * A run killed between the two renames of a folder publish leaves no target and the
 * previous folder at `.X.weir-<run>.tmp.old`. If the target is missing, this renames the
 * newest such folder back (run ids sort by time) and removes that run's unpublished
 * staging folder, so the previous output is visible again. Returns the folder restored,
 * or null. Runs publishing one target at the same time are not supported: one of them
 * could see the other's gap as a stranded folder.
 */
export async function recoverStranded(target: string): Promise<string | null> {
  if (existsSync(target)) return null;
  const dir = dirname(target);
  const prefix = `.${basename(target)}.weir-`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null; // no parent folder: nothing was ever published here
  }
  const stranded = names.filter((n) => n.startsWith(prefix) && n.endsWith('.tmp.old')).sort().reverse();
  for (const name of stranded) {
    const aside = join(dir, name);
    if (!(await stat(aside)).isDirectory()) continue;
    await rename(aside, target);
    await rm(aside.slice(0, -'.old'.length), { recursive: true, force: true });
    return aside;
  }
  return null;
}

/**
 * Moves a finished file or folder into place. A file replaces the old one in one rename.
 * A folder cannot be swapped in one step on POSIX: the old one is moved aside, the new one
 * renamed in, and the old one put back if that rename fails. For the instant between the
 * two renames readers see no folder at all; a run killed exactly there leaves the old
 * folder aside, and recoverStranded (called here and when the sink starts) puts it back.
 */
export async function publishPath(staged: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await recoverStranded(target);
  const st = await stat(staged);
  if (!st.isDirectory()) {
    await rename(staged, target);
    return;
  }
  const aside = asidePath(staged);
  const hadOld = existsSync(target);
  if (hadOld) await rename(target, aside);
  try {
    await rename(staged, target);
  } catch (e) {
    if (hadOld) await rename(aside, target);
    throw e;
  }
  if (hadOld) await rm(aside, { recursive: true, force: true });
}

export async function discard(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
