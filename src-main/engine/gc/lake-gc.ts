import { WeirError } from '../../../shared/errors';
import { normalizePrefix } from '../storage/glob';
import { isLotKey } from '../../../shared/pipeline/partitions';
import { LITTER_GRACE_MS, lakeLitter, removeLakeLitter, type LakeLitter } from '../storage/lake-litter';
import { RUNS_FOLDER } from '../storage/lake-manifest';
import type { ObjectInfo, ObjectStore } from '../storage/object-store';
import type { EngineClients } from '../context';
import { closeObjectStore } from '../storage/open-store';
import { connectionSpecFor, resolveConnection, type SecretLookup, type Workspace } from '../workspace/workspace';
import type { RunLiveness } from './live-runs';
import type { PendingLitter } from './litter';
import type { LakeSinkRef } from './workspace-sinks';

/** The run of a key under `<dir>_runs/<run id>/`, or null. */
function runOf(dir: string, key: string): string | null {
  const runs = `${dir}${RUNS_FOLDER}/`;
  return key.startsWith(runs) ? key.slice(runs.length).split('/')[0] || null : null;
}

export interface LakeScan {
  pending: PendingLitter[];
  notes: string[];
  kept: number;
  /** Stores opened for the scan; closed by the caller when done. */
  stores: ObjectStore[];
}

/**
 * The litter of every lake sink of the workspace in one environment: what runs known to be
 * dead (their markers) left, at once; what other runs left, once older than the grace period
 * (LITTER_GRACE_MS, as lake sinks themselves remove it). Live runs' uploads are never listed.
 * A store that cannot be opened or listed is a note, not a failure.
 */
export async function findLakeLitter(
  ws: Workspace,
  environment: string,
  sinks: readonly LakeSinkRef[],
  runs: RunLiveness,
  lookup: SecretLookup,
  openStore: EngineClients['objectStore'],
  now = Date.now(),
): Promise<LakeScan> {
  const scan: LakeScan = { pending: [], notes: [], kept: 0, stores: [] };
  const stores = new Map<string, ObjectStore | null>();
  const seen = new Set<string>();
  const alive = runs.alive();
  for (const sink of sinks) {
    const dir = normalizePrefix(sink.path);
    const id = `${sink.connection}\0${dir}`;
    if (seen.has(id)) continue;
    seen.add(id);
    let store = stores.get(sink.connection);
    if (store === undefined) {
      try {
        const spec = resolveConnection(sink.connection, connectionSpecFor(ws, environment, sink.connection), lookup);
        store = await openStore(sink.connection, spec, { workspaceRoot: ws.root });
        scan.stores.push(store);
      } catch (e) {
        if (e instanceof WeirError && e.kind === 'usage') throw e; // an environment the workspace does not define
        scan.notes.push(`lake sink "${sink.node}": ${(e as Error).message.split('\n')[0]}; its litter was not checked`);
        store = null;
      }
      stores.set(sink.connection, store);
    }
    if (!store) continue;
    let dirs = [dir];
    if (sink.partitionKey) {
      try {
        dirs = [dir, ...(await lotPrefixes(store, dir, sink.partitionKey))];
      } catch (e) {
        scan.notes.push(`${store.uri(dir)}: ${(e as Error).message.split('\n')[0]}; its lots' litter was not checked`);
      }
    }
    for (const d of dirs) await scanDir(scan, store, d, runs, alive, now);
  }
  return scan;
}

/**
 * A partitioned pipeline's lake sink publishes each lot under `<dir><key>=<lot>/`, with its own
 * manifest and `_runs/` (shared/pipeline/lot-pipeline.ts): the lot prefixes found there.
 */
async function lotPrefixes(store: ObjectStore, dir: string, key: string): Promise<string[]> {
  const found = new Set<string>();
  const head = `${key}=`;
  for (const o of await store.list(dir, { partial: true })) {
    const first = o.key.slice(dir.length).split('/')[0] ?? '';
    if (first.startsWith(head) && isLotKey(first.slice(head.length)) && o.key.length > dir.length + first.length + 1) found.add(`${dir}${first}/`);
  }
  return [...found].sort();
}

/**
 * One lake output folder's litter (a sink's, or one lot's): what runs known to be dead left,
 * at once; what other runs left, once older than the grace period. What its manifest names
 * (the published objects, and `_lots/` states and other objects outside `_runs/`) is kept.
 */
async function scanDir(scan: LakeScan, store: ObjectStore, dir: string, runs: RunLiveness, alive: readonly string[], now: number): Promise<void> {
  let litter: LakeLitter;
  try {
    litter = await lakeLitter(store, dir, { olderThanMs: 0, exceptRunIds: alive, now });
  } catch (e) {
    scan.notes.push(`${store.uri(dir)}: ${(e as Error).message.split('\n')[0]}; its litter was not checked`);
    return;
  }
  scan.notes.push(...litter.notes);
  const old = (ms: number | undefined) => ms !== undefined && now - ms >= LITTER_GRACE_MS;
  // A run folder counts by its newest object (a run still uploading keeps writing new ones).
  const newest = new Map<string, number>();
  for (const o of litter.objects) {
    const run = runOf(dir, o.key);
    if (run) newest.set(run, Math.max(newest.get(run) ?? 0, o.modifiedMs ?? Number.POSITIVE_INFINITY));
  }
  const gone = (run: string | null, ms: number | undefined) => (run !== null && runs.state(run) === 'dead') || old(ms);
  const groups = new Map<string, ObjectInfo[]>();
  for (const o of litter.objects) {
    const run = runOf(dir, o.key);
    if (!gone(run, run ? newest.get(run) : o.modifiedMs)) {
      scan.kept++;
      continue;
    }
    const group = run ? `${dir}${RUNS_FOLDER}/${run}/` : o.key;
    groups.set(group, [...(groups.get(group) ?? []), o]);
  }
  const s = store;
  for (const [group, objects] of groups) {
    const run = runOf(dir, group) ?? undefined;
    const bytes = objects.reduce((n, o) => n + o.size, 0);
    scan.pending.push({
      kind: 'lake-objects',
      what: `${s.uri(group)}${objects.length > 1 || group.endsWith('/') ? ` (${objects.length} object${objects.length === 1 ? '' : 's'})` : ''}`,
      bytes,
      action: 'remove',
      ...(run ? { runId: run } : {}),
      apply: async () => {
        // The manifest is read again inside: whatever a run published since the listing stays.
        await removeLakeLitter(s, dir, { litter: { dir, objects, uploads: [], bytes, notes: [] }, exceptRunIds: alive });
      },
    });
  }
  for (const u of litter.uploads) {
    const run = runOf(dir, u.key);
    if (!gone(run, u.initiatedMs)) {
      scan.kept++;
      continue;
    }
    scan.pending.push({
      kind: 'lake-upload',
      what: `${s.uri(u.key)} (upload ${u.uploadId})`,
      bytes: 0,
      action: 'abort',
      ...(run ? { runId: run } : {}),
      apply: async () => {
        await removeLakeLitter(s, dir, { litter: { dir, objects: [], uploads: [u], bytes: 0, notes: [] }, exceptRunIds: alive });
      },
    });
  }
}

export function closeStores(stores: readonly ObjectStore[]): void {
  for (const s of stores) closeObjectStore(s);
}
