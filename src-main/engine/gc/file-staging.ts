import { existsSync } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { recoverStranded } from '../storage/atomic-publish';
import type { RunLiveness } from './live-runs';
import type { PendingLitter } from './litter';
import { sizeOf } from './sizes';

/** `.<name>.weir-<run id>.tmp` (staged output) and `.<name>.weir-<run id>.tmp.old` (the previous folder, set aside mid-swap). */
const STAGING = /^\.(.+)\.weir-([^/]+?)\.tmp(\.old)?$/;

export interface StagingScan {
  pending: PendingLitter[];
  kept: number;
}

/**
 * The staging litter of dead runs beside the given file-sink targets (only their folders are
 * read). A set-aside folder whose target is missing is the previous output of a run killed
 * between the two renames of a swap: it is put back (recoverStranded), never deleted; one
 * whose target exists is the old output the swap replaced. The current run's and live runs'
 * things are never touched.
 */
export async function findStagingLitter(targets: readonly string[], runs: RunLiveness): Promise<StagingScan> {
  const pending: PendingLitter[] = [];
  let kept = 0;
  const byFolder = new Map<string, Set<string>>();
  for (const t of targets) {
    const set = byFolder.get(dirname(t)) ?? new Set<string>();
    set.add(basename(t));
    byFolder.set(dirname(t), set);
  }
  for (const [dir, names] of byFolder) {
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch {
      continue; // no folder: nothing was staged there
    }
    // Set-aside folders first: putting one back also removes its run's staged output.
    const found = entries
      .map((entry) => ({ entry, m: STAGING.exec(entry) }))
      .filter((f): f is { entry: string; m: RegExpExecArray } => f.m !== null && names.has(f.m[1]!))
      .sort((a, b) => Number(Boolean(b.m[3])) - Number(Boolean(a.m[3])) || b.entry.localeCompare(a.entry));
    const restoring = new Set<string>();
    for (const { entry, m } of found) {
      const [, name, runId, old] = m as unknown as [string, string, string, string | undefined];
      const path = join(dir, entry);
      const target = join(dir, name);
      if (runs.state(runId) !== 'dead') {
        kept++;
        continue;
      }
      const st = await lstat(path).catch(() => null);
      if (!st) continue;
      const bytes = await sizeOf(path);
      if (old && st.isDirectory() && !existsSync(target) && !restoring.has(target)) {
        // Only the newest set-aside folder of a target is put back (run ids sort by time; recoverStranded picks it too).
        restoring.add(target);
        pending.push({
          kind: 'swap-aside',
          what: path,
          bytes,
          action: 'restore',
          runId,
          restoreTo: target,
          apply: async () => {
            if (!(await recoverStranded(target))) throw new Error(`could not put the previous output back at ${target}`);
          },
        });
        continue;
      }
      if (!old && restoring.has(target) && existsSync(`${path}.old`)) continue; // removed when its set-aside folder is put back
      pending.push({
        kind: old ? 'swap-aside' : 'file-staging',
        what: path,
        bytes,
        action: 'remove',
        runId,
        apply: async () => {
          // A set-aside folder is only litter while its target exists: checked again right before.
          if (old && !existsSync(target)) throw new Error(`its target ${target} is missing; it was kept`);
          await rm(path, { recursive: true, force: true });
        },
      });
    }
  }
  return { pending, kept };
}
