import { lstatSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Environment } from '../context';

/**
 * True only when git, started in `dir`, could not find a repository, so the question needs no
 * git process: a fork costs the run's start tens of milliseconds (bench figure 6), and a
 * workspace outside git asked several per run. git looks for `.git` (a folder, or a file naming
 * one) in the folder and each parent of its physical path, and takes a folder that holds `HEAD`
 * as a bare repository; GIT_DIR and GIT_WORK_TREE point it elsewhere. Anything that might be a
 * repository answers false, so git itself is asked as before.
 */
export function outsideAnyRepository(env: Environment, dir: string): boolean {
  if (env.GIT_DIR || env.GIT_WORK_TREE) return false;
  let at: string;
  try {
    at = realpathSync.native(dir);
  } catch {
    return false;
  }
  for (;;) {
    if (mayExist(join(at, '.git')) || mayExist(join(at, 'HEAD'))) return false;
    const up = dirname(at);
    if (up === at) return true;
    at = up;
  }
}

/** False only when the entry surely does not exist (an unreadable parent counts as "may"). */
function mayExist(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}
