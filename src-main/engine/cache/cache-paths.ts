import { join } from 'node:path';
import type { Workspace } from '../workspace/workspace';

/** Everything Weir keeps for itself in a workspace lives under `.weir/` (git-ignored). */
export function nodeCacheDir(ws: Workspace): string {
  return process.env.WEIR_CACHE_DIR ? join(process.env.WEIR_CACHE_DIR, 'nodes') : join(ws.root, '.weir', 'cache', 'nodes');
}

export function fileHashMemoPath(ws: Workspace): string {
  return join(ws.root, '.weir', 'cache', 'file-hashes.json');
}
