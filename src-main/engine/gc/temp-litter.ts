import { lstat, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LITTER_GRACE_MS } from '../storage/lake-litter';
import { runIdTime } from './live-runs';
import type { PendingLitter } from './litter';
import { OTHER_HOST_GRACE_MS, makerMayLive, parseOwnerTag, pidAlive } from '../storage/owner-tag';
import { sizeOf } from './sizes';

export interface TempScan {
  pending: PendingLitter[];
  kept: number;
}

/** Half-written cache files: `*.tmp` (node cache, sidecars), `*.part` (downloads). */
const CACHE_TEMP = /\.(tmp|part)$/;

/**
 * Whether a temporary thing's maker is gone: by the process its name carries when it has one;
 * otherwise (names from older versions, downloads) by age alone.
 */
function makerGone(name: string, modifiedMs: number, untaggedGraceMs: number, now: number): boolean {
  const tag = parseOwnerTag(name);
  if (tag) return !makerMayLive(tag, modifiedMs, now);
  return now - modifiedMs >= untaggedGraceMs;
}

/** Half-written files under the node cache and the object cache (one level of `<xx>/` folders). */
export async function findCacheTemps(dirs: readonly string[], now = Date.now()): Promise<TempScan> {
  const pending: PendingLitter[] = [];
  let kept = 0;
  const look = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (depth > 0) await look(path, depth - 1);
        continue;
      }
      if (!e.isFile() || !CACHE_TEMP.test(e.name)) continue;
      const st = await lstat(path).catch(() => null);
      if (!st) continue;
      if (!makerGone(e.name, st.mtimeMs, LITTER_GRACE_MS, now)) {
        kept++;
        continue;
      }
      pending.push({ kind: 'cache-temp', what: path, bytes: st.size, action: 'remove', apply: () => rm(path, { force: true }) });
    }
  };
  for (const d of dirs) await look(d, 1);
  return { pending, kept };
}

/** The run id a scratch folder's name starts with (`<run id>-w<host>-<pid>-XXXXXX`), if any. */
function scratchRunId(name: string): string | undefined {
  const m = /^(\d{8}T\d{6}\.\d{3}Z-[0-9a-f]+)-/.exec(name);
  return m && runIdTime(m[1]!) !== null ? m[1] : undefined;
}

/**
 * Scratch folders of runs and previews whose process is gone (their names carry it), under a
 * scratch root shared by every workspace of this user. A folder without a process in its name
 * (made by an older version) goes once untouched for OTHER_HOST_GRACE_MS.
 */
export async function findDeadScratch(root: string, now = Date.now()): Promise<TempScan> {
  const pending: PendingLitter[] = [];
  let kept = 0;
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    return { pending, kept };
  }
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const path = join(root, e.name);
    const st = await lstat(path).catch(() => null);
    if (!st) continue;
    if (!makerGone(e.name, st.mtimeMs, OTHER_HOST_GRACE_MS, now)) {
      kept++;
      continue;
    }
    const runId = scratchRunId(e.name);
    pending.push({ kind: 'scratch', what: path, bytes: await sizeOf(path), action: 'remove', ...(runId ? { runId } : {}), apply: () => rm(path, { recursive: true, force: true }) });
  }
  return { pending, kept };
}

/**
 * DuckDB's spill folders, `<tmp>/weir-duckdb-<pid>` (duckdb/instance.ts), of processes that
 * are gone. Only this user's: another account's cannot be removed anyway. A spill folder
 * moved by WEIR_DUCKDB_TEMP is shared and has no pid: it is left alone.
 */
export async function findDeadSpill(dir = tmpdir()): Promise<TempScan> {
  const pending: PendingLitter[] = [];
  let kept = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return { pending, kept };
  }
  const uid = process.getuid?.();
  for (const e of entries) {
    const m = /^weir-duckdb-(\d+)$/.exec(e.name);
    if (!m || !e.isDirectory()) continue;
    const path = join(dir, e.name);
    const st = await lstat(path).catch(() => null);
    if (!st || (uid !== undefined && st.uid !== uid)) continue;
    if (pidAlive(Number(m[1]))) {
      kept++;
      continue;
    }
    pending.push({ kind: 'spill', what: path, bytes: await sizeOf(path), action: 'remove', apply: () => rm(path, { recursive: true, force: true }) });
  }
  return { pending, kept };
}
