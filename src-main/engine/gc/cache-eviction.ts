import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PendingLitter } from './litter';

/**
 * An entry of the node cache (`<key>.parquet`, `<key>.json`, `<key>.view.json`,
 * `<key>.receipt.json`) or of the object cache (`<xx>/<id><ext>` and its `.meta.json`): the
 * files whose names start with the same 64-hex-digit key. Lookups touch an entry's files
 * (node-cache.ts, object-cache.ts), so its newest modification time is when it was last used.
 */
export interface CacheEntryFiles {
  key: string;
  files: string[];
  bytes: number;
  lastUsedMs: number;
}

const KEYED = /^([0-9a-f]{64})\./;
const TEMP = /\.(tmp|part)$/;

/** The entries of the cache folders (one level of `<xx>/` sub-folders), temporary files left out. */
export async function cacheEntries(dirs: readonly string[]): Promise<CacheEntryFiles[]> {
  const entries = new Map<string, CacheEntryFiles>();
  const look = async (dir: string, depth: number): Promise<void> => {
    let names;
    try {
      names = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(
      names.map(async (e) => {
        const path = join(dir, e.name);
        if (e.isDirectory()) {
          if (depth > 0) await look(path, depth - 1);
          return;
        }
        const m = KEYED.exec(e.name);
        if (!m || !e.isFile() || TEMP.test(e.name)) return;
        const st = await stat(path).catch(() => null);
        if (!st) return;
        // The same key in two folders (node and object cache) are different entries.
        const id = `${dir}\0${m[1]}`;
        const entry = entries.get(id) ?? { key: m[1]!, files: [], bytes: 0, lastUsedMs: 0 };
        entry.files.push(path);
        entry.bytes += st.size;
        entry.lastUsedMs = Math.max(entry.lastUsedMs, st.mtimeMs);
        entries.set(id, entry);
      }),
    );
  };
  for (const d of dirs) await look(d, 1);
  return [...entries.values()];
}

export interface EvictionPlan {
  pending: PendingLitter[];
  totalBytes: number;
  /** Bytes left after the eviction. */
  afterBytes: number;
  /** Entries over the bound kept because they were used too recently (a live run may be reading them). */
  keptRecent: number;
}

export interface EvictionOptions {
  maxBytes: number;
  /** Entries used less than this long ago are kept (a run may be reading them); 0 keeps none. */
  keepNewerThanMs: number;
  now?: number;
}

/**
 * Least recently used entries first, until the caches hold at most `maxBytes`. An entry's
 * data file goes first: a lookup that races the eviction finds no data and misses, and never
 * serves a result without its file.
 */
export function planEviction(entries: readonly CacheEntryFiles[], o: EvictionOptions): EvictionPlan {
  const now = o.now ?? Date.now();
  const totalBytes = entries.reduce((n, e) => n + e.bytes, 0);
  let left = totalBytes;
  let keptRecent = 0;
  const pending: PendingLitter[] = [];
  for (const e of [...entries].sort((a, b) => a.lastUsedMs - b.lastUsedMs || a.key.localeCompare(b.key))) {
    if (left <= o.maxBytes) break;
    if (now - e.lastUsedMs < o.keepNewerThanMs) {
      keptRecent++;
      continue;
    }
    left -= e.bytes;
    const files = [...e.files].sort((a, b) => Number(a.endsWith('.json')) - Number(b.endsWith('.json')));
    pending.push({
      kind: 'cache-entry',
      what: files.find((f) => !f.endsWith('.json')) ?? files[0]!,
      bytes: e.bytes,
      action: 'evict',
      apply: async () => {
        for (const f of files) await rm(f, { force: true });
      },
    });
  }
  return { pending, totalBytes, afterBytes: left, keptRecent };
}
