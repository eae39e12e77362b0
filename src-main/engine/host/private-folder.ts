import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { WeirError } from '../../../shared/errors';

/** The folder in a workspace where Weir keeps its own files (git-ignored). */
export const PRIVATE_FOLDER = '.weir';

/** `path` with its symbolic links resolved: its nearest existing folder resolved, the rest appended. A link to nothing is refused. */
function resolvedPath(path: string): string {
  const rest: string[] = [];
  let cur = path;
  for (;;) {
    try {
      return join(realpathSync(cur), ...rest.reverse());
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      if (lstatSync(cur, { throwIfNoEntry: false })?.isSymbolicLink()) {
        throw new WeirError('invalid', `${cur} is a symbolic link to nothing: Weir keeps nothing there (remove it)`);
      }
      const up = dirname(cur);
      if (up === cur) return path;
      rest.push(basename(cur));
      cur = up;
    }
  }
}

/**
 * A path under the workspace's `.weir/` folder (run records, the audit trail, reports, caches,
 * states), checked to stay there once symbolic links are followed. A workspace can arrive with
 * `.weir` (or a folder or file in it) being a link elsewhere, and a run would then write its
 * records, reports and caches into that place: outside the workspace, wherever the link points
 * (a web server's folder, another user's files). Such a path is refused with one line naming it.
 * A `.weir` that is a mount point is a real folder and works; a cache moved on purpose goes
 * through the settings (WEIR_CACHE_DIR), not through a link.
 */
export function privatePath(workspaceRoot: string, ...parts: string[]): string {
  const path = join(workspaceRoot, PRIVATE_FOLDER, ...parts);
  const home = join(resolvedPath(workspaceRoot), PRIVATE_FOLDER);
  const real = resolvedPath(path);
  if (real !== home && !real.startsWith(home + sep)) {
    throw new WeirError('invalid', `${path} leads out of the workspace's ${PRIVATE_FOLDER} folder (a symbolic link to ${real}): Weir keeps its records there only in a real folder; remove the link`);
  }
  return path;
}
