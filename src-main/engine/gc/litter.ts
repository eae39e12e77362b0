/** What a killed or failed run (or preview) can leave behind, and the cache entries gc evicts. */
export type LitterKind =
  /** A file sink's staged output `.<name>.weir-<run>.tmp` (a file or folder) beside its target. */
  | 'file-staging'
  /** The previous output of a folder swap a run was killed in, `.<name>.weir-<run>.tmp.old`. */
  | 'swap-aside'
  /** A half-written node or object cache file. */
  | 'cache-temp'
  /** A run's or preview's scratch folder under the scratch root. */
  | 'scratch'
  /** DuckDB's spill folder of a process that is gone. */
  | 'spill'
  /** Objects under a lake output's `_runs/<run>/` that no manifest names, or a folder lake's half-written file. */
  | 'lake-objects'
  /** An unfinished multipart upload under a lake output's `_runs/`. */
  | 'lake-upload'
  /** A node or object cache entry evicted to keep the cache under its bound. */
  | 'cache-entry';

export interface LitterItem {
  kind: LitterKind;
  /** A local path or an object store URI. */
  what: string;
  bytes: number;
  /** remove: deleted; restore: a previous output put back at `restoreTo`; abort: an upload aborted; evict: a cache entry deleted. */
  action: 'remove' | 'restore' | 'abort' | 'evict';
  /** The run it belongs to, when its name says. */
  runId?: string;
  restoreTo?: string;
}

/** An item with what carries it out (left out of reports). */
export interface PendingLitter extends LitterItem {
  apply: () => Promise<void>;
}

export interface LitterReport {
  /** What was removed (or, in a dry run, would be). */
  items: LitterItem[];
  /** What could not be looked at or done, one line each. */
  notes: string[];
  /** Things left alone because their run or process may still be working. */
  kept: number;
}

export const describeItem = ({ kind, what, bytes, action, runId, restoreTo }: LitterItem): LitterItem => ({
  kind,
  what,
  bytes,
  action,
  ...(runId ? { runId } : {}),
  ...(restoreTo ? { restoreTo } : {}),
});

/**
 * Carries out the pending items in order; one that fails becomes a note and the others go on
 * (litter that cannot be removed now is found again next time).
 */
export async function applyAll(pending: readonly PendingLitter[], notes: string[]): Promise<LitterItem[]> {
  const done: LitterItem[] = [];
  for (const p of pending) {
    try {
      await p.apply();
      done.push(describeItem(p));
    } catch (e) {
      notes.push(`${p.what}: not removed (${(e as Error).message.split('\n')[0]})`);
    }
  }
  return done;
}
