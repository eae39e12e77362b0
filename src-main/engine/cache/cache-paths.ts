import { join } from 'node:path';
import type { EngineSettings } from '../context';
import type { Workspace } from '../workspace/workspace';
import { privatePath } from '../host/private-folder';

/** Everything Weir keeps for itself in a workspace lives under `.weir/` (git-ignored), but a cache the settings move elsewhere. */
export function nodeCacheDir(ws: Workspace, settings: Pick<EngineSettings, 'cacheDir'>): string {
  return settings.cacheDir ? join(settings.cacheDir, 'nodes') : privatePath(ws.root, 'cache', 'nodes');
}

export function fileHashMemoPath(ws: Workspace): string {
  return privatePath(ws.root, 'cache', 'file-hashes.json');
}

/** Pages of http sources kept for conditional re-fetch and `cache_for` (http/page-cache.ts), beside the node cache. */
export function httpCacheDir(ws: Workspace, settings: Pick<EngineSettings, 'cacheDir'>): string {
  return settings.cacheDir ? join(settings.cacheDir, 'http') : privatePath(ws.root, 'cache', 'http');
}
