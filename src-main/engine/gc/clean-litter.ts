import type { EngineContext } from '../context';
import type { Workspace } from '../workspace/workspace';
import { cacheEntries, planEviction } from './cache-eviction';
import { runLiveness, writeRunMarker } from './live-runs';
import { applyAll, type LitterReport } from './litter';
import { cacheDirs, findLocalLitter, spareRecentMs } from './local-litter';
import { workspaceSinks } from './workspace-sinks';

export interface CleanLitterOptions {
  /** The cache's bound; default the engine's settings (WEIR_CACHE_MAX_SIZE, else 10 GiB). */
  cacheMaxBytes?: number;
}

/**
 * What a run does as it starts, before it stages anything: leaves its marker (so that others
 * know it lives), then removes what dead runs left on this machine (file-sink staging beside
 * the workspace's sink targets, set-aside folders put back, half-written cache files, dead
 * scratch and spill folders), and evicts the caches, least recently used first, when they
 * are over their bound. Lake litter is the lake sinks' own business as they stage, and
 * `weir gc`'s. It never fails the run: a problem is a note in the report.
 */
export async function cleanLitter(engine: EngineContext, ws: Workspace, runId: string, o: CleanLitterOptions = {}): Promise<LitterReport> {
  const report: LitterReport = { items: [], notes: [], kept: 0 };
  try {
    await writeRunMarker(ws.root, runId);
  } catch (e) {
    // Without a marker the run's own litter waits for the age rule; the run itself is unharmed.
    report.notes.push(`the run's marker was not written: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    const now = engine.now().getTime();
    const runs = await runLiveness(ws.root, [runId], now);
    const found = await findLocalLitter(ws, engine.settings, workspaceSinks(ws), runs, now);
    report.kept = found.kept;
    report.items.push(...(await applyAll(found.pending, report.notes)));
    const plan = planEviction(await cacheEntries(cacheDirs(ws, engine.settings)), { maxBytes: o.cacheMaxBytes ?? engine.settings.cacheMaxBytes, keepNewerThanMs: spareRecentMs(runs, found.liveSessions, now), now });
    report.items.push(...(await applyAll(plan.pending, report.notes)));
    await runs.forgetEnded();
  } catch (e) {
    report.notes.push(`litter of earlier runs was not all removed: ${(e as Error).message.split('\n')[0]}`);
  }
  return report;
}
