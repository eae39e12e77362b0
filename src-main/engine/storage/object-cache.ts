import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { touch, writeFileTagged } from './owner-tag';
import type { ObjectInfo, ObjectStore, TransferOptions } from './object-store';
import { readRegularText } from '../host/regular-file';
import { privatePath } from '../host/private-folder';

/** Where downloaded lake objects are kept, per workspace (git-ignored with the rest of .weir). */
export function objectCacheDir(workspaceRoot: string): string {
  return privatePath(workspaceRoot, 'cache', 'objects');
}

export interface CachedObject {
  path: string;
  /** True when the bytes were already in the cache: nothing was downloaded. */
  hit: boolean;
  versionId?: string;
}

interface CacheMeta {
  uri: string;
  etag: string;
  versionId?: string;
  size: number;
  fetchedAt: string;
}

/** `.csv`, `.csv.gz`, `.parquet`: DuckDB detects compression from the name. */
function extensionOf(key: string): string {
  const base = key.slice(key.lastIndexOf('/') + 1);
  const m = /((?:\.[A-Za-z0-9]{1,10}){1,2})$/.exec(base);
  return m ? m[1]!.toLowerCase() : '';
}

// Two nodes (or a preview and a run) asking for the same object share one download.
const inFlight = new Map<string, Promise<CachedObject>>();

/**
 * A content-addressed cache of lake objects, keyed by endpoint, bucket, key, ETag and
 * VersionId (when the listing knows it). An object whose ETag has not changed is never
 * downloaded again; a changed object gets a new entry. Entries are written to a temporary
 * name and renamed, so a killed download never leaves a half file under a real name.
 */
export class ObjectCache {
  constructor(readonly dir: string) {}

  id(store: ObjectStore, info: ObjectInfo): string {
    return createHash('sha256')
      .update([store.scope, store.uri(info.key), info.etag, info.versionId ?? ''].join('\0'))
      .digest('hex');
  }

  pathFor(store: ObjectStore, info: ObjectInfo): string {
    const id = this.id(store, info);
    return join(this.dir, id.slice(0, 2), `${id}${extensionOf(info.key)}`);
  }

  /** The cached copy if it is there and whole. */
  lookup(store: ObjectStore, info: ObjectInfo): Promise<CachedObject | null> {
    return this.lookupAt(this.pathFor(store, info), info);
  }

  private async lookupAt(path: string, info: ObjectInfo): Promise<CachedObject | null> {
    try {
      const st = await stat(path);
      if (st.size !== info.size) return null;
    } catch {
      return null;
    }
    // Used now: eviction goes least recently used first (gc/cache-eviction.ts).
    await touch(path);
    let versionId = info.versionId;
    try {
      versionId ??= (JSON.parse(await readRegularText(`${path}.meta.json`)) as CacheMeta).versionId;
    } catch {
      // The sidecar only adds the VersionId seen at download time.
    }
    return { path, hit: true, ...(versionId ? { versionId } : {}) };
  }

  async fetch(store: ObjectStore, info: ObjectInfo, o: TransferOptions = {}): Promise<CachedObject> {
    const path = this.pathFor(store, info);
    const found = await this.lookupAt(path, info);
    if (found) return found;
    let job = inFlight.get(path);
    if (!job) {
      job = (async () => {
        await mkdir(dirname(path), { recursive: true });
        const got = await store.download(info, path, o);
        const versionId = info.versionId ?? got.versionId;
        const meta: CacheMeta = { uri: store.uri(info.key), etag: info.etag, size: info.size, fetchedAt: new Date().toISOString(), ...(versionId ? { versionId } : {}) };
        await writeFileTagged(`${path}.meta.json`, JSON.stringify(meta));
        return { path, hit: false, ...(versionId ? { versionId } : {}) };
      })().finally(() => inFlight.delete(path));
      inFlight.set(path, job);
    }
    return job;
  }
}
