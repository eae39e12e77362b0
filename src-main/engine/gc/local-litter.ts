import { nodeCacheDir } from '../cache/cache-paths';
import { scratchRoot } from '../sandbox/allowed-dirs';
import { objectCacheDir } from '../storage/object-cache';
import type { Workspace } from '../workspace/workspace';
import { findStagingLitter } from './file-staging';
import type { RunLiveness } from './live-runs';
import type { PendingLitter } from './litter';
import { findCacheTemps, findDeadScratch, findDeadSpill } from './temp-litter';
import type { WorkspaceSinks } from './workspace-sinks';

/** The caches gc looks after: the node cache (which WEIR_CACHE_DIR may move) and the lake object cache. */
export function cacheDirs(ws: Workspace): string[] {
  return [nodeCacheDir(ws), objectCacheDir(ws.root)];
}

/**
 * Everything on this machine that dead runs of the workspace (and dead processes of this
 * user) left: file-sink staging beside the sinks' targets, half-written cache files, scratch
 * and spill folders. Set-aside folders to put back come first.
 */
export async function findLocalLitter(ws: Workspace, sinks: WorkspaceSinks, runs: RunLiveness, now = Date.now()): Promise<{ pending: PendingLitter[]; kept: number }> {
  const scans = [
    await findStagingLitter(sinks.fileTargets, runs),
    await findCacheTemps(cacheDirs(ws), now),
    await findDeadScratch(scratchRoot(), now),
    await findDeadSpill(),
  ];
  return { pending: scans.flatMap((s) => s.pending), kept: scans.reduce((n, s) => n + s.kept, 0) };
}
