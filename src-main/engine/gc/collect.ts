import { WeirError } from '../../../shared/errors';
import type { EngineContext } from '../context';
import { environmentNames, type SecretLookup, type Workspace } from '../workspace/workspace';
import { cacheEntries, planEviction } from './cache-eviction';
import { closeStores, findLakeLitter } from './lake-gc';
import { runLiveness } from './live-runs';
import { applyAll, describeItem, type LitterReport, type PendingLitter } from './litter';
import { cacheDirs, findLocalLitter, spareRecentMs } from './local-litter';
import { workspaceSinks } from './workspace-sinks';

export interface GcOptions {
  /** Whose lake connections the lake sinks' litter is looked for in; default the workspace's default. */
  environment?: string;
  /** List only. */
  dryRun?: boolean;
  /** The caches' bound; default the engine's settings (WEIR_CACHE_MAX_SIZE, else 10 GiB). */
  cacheMaxBytes?: number;
  /** `${env:NAME}` of connections; default the engine context's lookup. */
  lookup?: SecretLookup;
  now?: number;
}

export interface GcReport extends LitterReport {
  environment: string;
  dryRun: boolean;
  cache: {
    maxBytes: number;
    /** Bytes in the node and object caches before and after eviction. */
    beforeBytes: number;
    afterBytes: number;
    /** Entries kept over the bound because a live run may be reading them. */
    keptRecent: number;
  };
}

/**
 * `weir gc`: lists, or removes, everything dead runs of a workspace left (file-sink staging,
 * set-aside folders, which are put back where their target is missing, half-written cache
 * files, scratch and spill folders, lake objects no manifest names and unfinished multipart
 * uploads of every lake sink in the environment) and evicts the caches to their bound, least
 * recently used first. What a live run (or one of another host, for a day) may still use is
 * kept. While runs or sessions live, recently used cache entries are spared (spareRecentMs).
 */
export async function collectGarbage(engine: EngineContext, ws: Workspace, o: GcOptions = {}): Promise<GcReport> {
  const environment = o.environment ?? ws.file.default_environment;
  if (o.environment !== undefined && !ws.file.environments[o.environment]) {
    const known = environmentNames(ws);
    throw new WeirError('usage', `no environment "${o.environment}" in ${ws.filePath ?? 'the workspace'}${known.length ? ` (environments: ${known.join(', ')})` : ''}`);
  }
  const now = o.now ?? engine.now().getTime();
  const maxBytes = o.cacheMaxBytes ?? engine.settings.cacheMaxBytes;
  const runs = await runLiveness(ws.root, [], now);
  const sinks = workspaceSinks(ws);
  const local = await findLocalLitter(ws, engine.settings, sinks, runs, now);
  const notes: string[] = [];
  let lakePending: PendingLitter[] = [];
  let lakeKept = 0;
  let stores: Parameters<typeof closeStores>[0] = [];
  if (sinks.lakeSinks.length && !ws.file.environments[environment]) {
    notes.push(`the workspace defines no environment "${environment}": the lake sinks' litter was not checked`);
  } else if (sinks.lakeSinks.length) {
    const lake = await findLakeLitter(ws, environment, sinks.lakeSinks, runs, o.lookup ?? engine.env, engine.clients.objectStore, now);
    lakePending = lake.pending;
    lakeKept = lake.kept;
    stores = lake.stores;
    notes.push(...lake.notes);
  }
  try {
    const plan = planEviction(await cacheEntries(cacheDirs(ws, engine.settings)), { maxBytes, keepNewerThanMs: spareRecentMs(runs, local.liveSessions, now), now });
    const pending = [...local.pending, ...lakePending, ...plan.pending];
    const items = o.dryRun ? pending.map(describeItem) : await applyAll(pending, notes);
    if (!o.dryRun) await runs.forgetEnded();
    const evicted = items.filter((i) => i.kind === 'cache-entry').reduce((n, i) => n + i.bytes, 0);
    return {
      environment,
      dryRun: Boolean(o.dryRun),
      items,
      notes,
      kept: local.kept + lakeKept,
      cache: { maxBytes, beforeBytes: plan.totalBytes, afterBytes: plan.totalBytes - evicted, keptRecent: plan.keptRecent },
    };
  } finally {
    closeStores(stores);
  }
}
