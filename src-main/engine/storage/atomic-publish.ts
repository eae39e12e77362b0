import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A sibling temporary path (same folder, so the final rename stays on one file system). */
export function stagingPath(target: string, runId: string): string {
  return join(dirname(target), `.${basename(target)}.weir-${runId}.tmp`);
}

/**
 * Moves a finished file or folder into place. A file replaces the old one in one rename.
 * A folder cannot be swapped in one step on POSIX: the old one is moved aside first and
 * put back if the second rename fails, so readers see either the old or the new folder.
 */
export async function publishPath(staged: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const st = await stat(staged);
  if (!st.isDirectory()) {
    await rename(staged, target);
    return;
  }
  const aside = `${staged}.old`;
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
