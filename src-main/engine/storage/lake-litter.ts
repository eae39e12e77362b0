import { RUNS_FOLDER, namedKeys, readManifest } from './lake-manifest';
import type { ObjectInfo, ObjectStore, PendingUpload, TransferOptions } from './object-store';

/** What a run may still be writing is left alone for this long (runs longer than this need a longer grace). */
export const LITTER_GRACE_MS = 60 * 60 * 1000;

/** A folder store's half-written file (see folder-store.ts). */
const PARTIAL_FILE = /\.weir-tmp-[0-9a-f]+$/;

export interface LitterOptions extends TransferOptions {
  /** Only what was last written (a run folder: its newest object) longer ago than this; default LITTER_GRACE_MS. */
  olderThanMs?: number;
  /** Runs whose objects and uploads are never litter: the current run, at least. */
  exceptRunIds?: readonly string[];
  /** The clock, in ms since the epoch (tests). */
  now?: number;
}

/** What killed or failed runs left in one lake output folder, which no reader can see. */
export interface LakeLitter {
  dir: string;
  /** Objects under `<dir>_runs/` that the manifest names neither as files nor as superseded, and half-written temporary files. */
  objects: ObjectInfo[];
  /** Unfinished multipart uploads under `<dir>_runs/`. */
  uploads: PendingUpload[];
  /** Bytes of `objects` (the parts of unfinished uploads are not listed). */
  bytes: number;
  /** What could not be checked, in one line each (e.g. a server that cannot list multipart uploads). */
  notes: string[];
}

export interface LitterRemoved {
  removed: ObjectInfo[];
  aborted: PendingUpload[];
  bytes: number;
  notes: string[];
}

/** The run id of a key under `<dir>_runs/<run id>/`, or null. */
function runOf(dir: string, key: string): string | null {
  const runs = `${dir}${RUNS_FOLDER}/`;
  if (!key.startsWith(runs)) return null;
  const id = key.slice(runs.length).split('/')[0];
  return id || null;
}

async function liveKeys(store: ObjectStore, dir: string, o: TransferOptions): Promise<Set<string>> {
  // An unreadable manifest throws: without knowing what is live, nothing is litter.
  const m = await readManifest(store, dir, o);
  return m ? new Set([...namedKeys(m.manifest)].map((k) => `${dir}${k}`)) : new Set();
}

/**
 * Lists the litter of a lake output folder (`dir` normalized, ending with `/`): objects of
 * runs that no manifest names (a killed run's uploads, superseded files whose deletion
 * failed), half-written temporary files of a folder store, and unfinished multipart
 * uploads. A run folder counts only when its newest object is older than the grace period,
 * so a run that is still uploading is never touched; the runs in `exceptRunIds` never count.
 */
export async function lakeLitter(store: ObjectStore, dir: string, o: LitterOptions = {}): Promise<LakeLitter> {
  const olderThan = o.olderThanMs ?? LITTER_GRACE_MS;
  const now = o.now ?? Date.now();
  const except = new Set(o.exceptRunIds ?? []);
  const t = { ...(o.signal ? { signal: o.signal } : {}) };
  const live = await liveKeys(store, dir, t);
  const listed = await store.list(dir, { ...t, partial: true });
  // Unknown times count as new: what cannot be dated is kept.
  const old = (ms: number | undefined) => ms !== undefined && now - ms >= olderThan;
  const newest = new Map<string, number>();
  for (const i of listed) {
    const run = runOf(dir, i.key);
    if (run !== null) newest.set(run, Math.max(newest.get(run) ?? 0, i.modifiedMs ?? Number.POSITIVE_INFINITY));
  }
  const objects = listed.filter((i) => {
    const run = runOf(dir, i.key);
    if (run === null) return PARTIAL_FILE.test(i.key) && old(i.modifiedMs);
    return !except.has(run) && !live.has(i.key) && old(newest.get(run));
  });

  const notes: string[] = [];
  let uploads: PendingUpload[] = [];
  if (store.listUploads) {
    const pending = await store.listUploads(`${dir}${RUNS_FOLDER}/`, t);
    if (pending === null) notes.push(`${store.uri(dir)}: the server cannot list unfinished multipart uploads (ListMultipartUploads not implemented); they were not checked`);
    else
      uploads = pending.filter((u) => {
        const run = runOf(dir, u.key);
        return run !== null && !except.has(run) && old(u.initiatedMs);
      });
  }
  return { dir, objects, uploads, bytes: objects.reduce((n, i) => n + i.size, 0), notes };
}

/**
 * Deletes a lake output folder's litter (listed now, or the listing given) and aborts its
 * unfinished multipart uploads. The manifest is read again just before: anything a run
 * published since the listing stays.
 */
export async function removeLakeLitter(store: ObjectStore, dir: string, o: LitterOptions & { litter?: LakeLitter } = {}): Promise<LitterRemoved> {
  const litter = o.litter ?? (await lakeLitter(store, dir, o));
  const t = { ...(o.signal ? { signal: o.signal } : {}) };
  const live = await liveKeys(store, dir, t);
  const except = new Set(o.exceptRunIds ?? []);
  const kept = (key: string) => live.has(key) || except.has(runOf(dir, key) ?? '');
  const removed = litter.objects.filter((i) => !kept(i.key));
  if (removed.length) await store.delete(removed.map((i) => i.key), t);
  const aborted = litter.uploads.filter((u) => !except.has(runOf(dir, u.key) ?? ''));
  for (const u of aborted) await store.abortUpload?.(u, t);
  return { removed, aborted, bytes: removed.reduce((n, i) => n + i.size, 0), notes: litter.notes };
}
