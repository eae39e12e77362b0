import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ENV_REF } from '../../../shared/workspace/schema';
import { nodeCacheDir } from '../cache/cache-paths';
import type { EngineSettings, EnvLookup } from '../context';
import { objectCacheDir } from '../storage/object-cache';
import type { Workspace } from '../workspace/workspace';

/**
 * Where runs and previews keep their scratch files (one folder per run, named by its run id),
 * per user so that two accounts on one machine never share it.
 */
export function scratchRoot(): string {
  return join(tmpdir(), `weir-scratch-${process.getuid?.() ?? 'user'}`);
}

/** A folder and, where a symlink leads elsewhere, the folder it really is: DuckDB compares path text. */
function bothSpellings(dir: string): string[] {
  try {
    const real = realpathSync(dir);
    return real === dir ? [dir] : [dir, real];
  } catch {
    return [dir];
  }
}

/**
 * The folders the DuckDB instance of a workspace may touch: the workspace (its files are the
 * sources and sinks' targets; which of them a pipeline may read or write is decided before
 * DuckDB is asked, see sandbox/paths.ts), the folders of its declared `folder` connections,
 * the node and object caches, and the scratch root. Nothing else on the machine.
 */
export function allowedDirectories(ws: Workspace, settings: Pick<EngineSettings, 'cacheDir'>, lookup: EnvLookup): string[] {
  const dirs = [ws.root, nodeCacheDir(ws, settings), objectCacheDir(ws.root), scratchRoot()];
  for (const env of Object.values(ws.file.environments)) {
    for (const spec of Object.values(env.connections)) {
      if (spec.kind !== 'folder') continue;
      let unresolved = false;
      const path = spec.path.replace(ENV_REF, (_m, name: string) => {
        const v = lookup(name);
        if (v === undefined) unresolved = true;
        return v ?? '';
      });
      // A folder named by a variable that is not set cannot be used anyway; its run fails on it.
      if (!unresolved && path) dirs.push(isAbsolute(path) ? resolve(path) : resolve(ws.root, path));
    }
  }
  return [...new Set(dirs.flatMap(bothSpellings))];
}
