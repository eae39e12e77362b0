import { httpCacheDir, nodeCacheDir } from '../cache/cache-paths';
import type { EngineSettings } from '../context';
import { scratchRoot } from '../sandbox/allowed-dirs';
import { objectCacheDir } from '../storage/object-cache';
import type { Workspace } from '../workspace/workspace';
import { findStagingLitter } from './file-staging';
import { runIdTime, type RunLiveness } from './live-runs';
import type { PendingLitter } from './litter';
import { findCacheTemps, findDeadScratch, findDeadSpill } from './temp-litter';
import type { WorkspaceSinks } from './workspace-sinks';

/** The caches gc looks after: the node cache and http sources' pages (which WEIR_CACHE_DIR may move), and the lake object cache. */
export function cacheDirs(ws: Workspace, settings: Pick<EngineSettings, 'cacheDir'>): string[] {
  return [nodeCacheDir(ws, settings), httpCacheDir(ws, settings), objectCacheDir(ws.root)];
}

/**
 * Everything on this machine that dead runs of the workspace (and dead processes of this
 * user) left: file-sink staging beside the sinks' targets, half-written cache files, scratch
 * and spill folders. Set-aside folders to put back come first.
 */
export async function findLocalLitter(
  ws: Workspace,
  settings: Pick<EngineSettings, 'cacheDir'>,
  sinks: WorkspaceSinks,
  runs: RunLiveness,
  now = Date.now(),
): Promise<{ pending: PendingLitter[]; kept: number; liveSessions: number }> {
  const scratch = await findDeadScratch(scratchRoot(), now);
  const scans = [await findStagingLitter(sinks.fileTargets, runs), await findCacheTemps(cacheDirs(ws, settings), now), scratch, await findDeadSpill()];
  // Staging first (set-aside folders put back before anything else), as the scans are listed.
  return { pending: scans.flatMap((s) => s.pending), kept: scans.reduce((n, s) => n + s.kept, 0), liveSessions: scratch.kept };
}

/**
 * How long ago an entry must have been last used to be evictable: nothing is spared when no
 * run or session lives; otherwise what was used in the last RECENT_USE_MS, and everything
 * used since the oldest live run of the workspace started (a long run may still read an
 * entry it looked up hours ago).
 */
export function spareRecentMs(runs: RunLiveness, liveSessions: number, now = Date.now()): number {
  const alive = runs.alive();
  if (!alive.length && !liveSessions) return 0;
  const starts = alive.map(runIdTime).filter((t): t is number => t !== null);
  const oldest = starts.length ? Math.min(...starts) : now;
  return Math.max(RECENT_USE_MS, now - oldest + 60_000);
}

/** Cache entries used this recently are not evicted while runs or sessions live: one may be reading them. */
export const RECENT_USE_MS = 10 * 60 * 1000;
