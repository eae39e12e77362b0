import { copyFile, mkdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { InputObject } from '../../../../shared/run/record';
import type { LakeObject } from '../../storage/lake-listing';
import { ObjectCache, objectCacheDir } from '../../storage/object-cache';
import type { ObjectStore } from '../../storage/object-store';
import { fileSha256 } from '../../storage/file-hash';
import { mapLimit } from '../../storage/parallel';

/** Objects downloaded at once; each large one also fetches its ranges in parallel. */
const DOWNLOAD_CONCURRENCY = 8;

export interface LocalCopy {
  object: LakeObject;
  path: string;
  input: InputObject;
}

/**
 * Local files for the objects: a folder's files in place; a bucket's through the
 * workspace's download cache (unchanged objects are not downloaded again).
 */
export async function localCopies(store: ObjectStore, objects: LakeObject[], workspaceRoot: string, signal: AbortSignal): Promise<LocalCopy[]> {
  if (store.localPath) {
    const localPath = store.localPath.bind(store);
    return mapLimit(objects, DOWNLOAD_CONCURRENCY, async (object) => {
      const path = localPath(object.info.key);
      const { sha256, size } = await fileSha256(path);
      return { object, path, input: { uri: store.uri(object.info.key), size, sha256 } };
    });
  }
  const cache = new ObjectCache(objectCacheDir(workspaceRoot));
  return mapLimit(objects, DOWNLOAD_CONCURRENCY, async (object) => {
    const got = await cache.fetch(store, object.info, { signal });
    return { object, path: got.path, input: inputObject(store, object, got.hit, got.versionId) };
  });
}

/** What the run record says about an object, as the cache sees it now (no download). */
export async function describeWithoutDownload(store: ObjectStore, objects: LakeObject[], workspaceRoot: string): Promise<InputObject[]> {
  if (store.localPath) return (await localCopies(store, objects, workspaceRoot, new AbortController().signal)).map((c) => c.input);
  const cache = new ObjectCache(objectCacheDir(workspaceRoot));
  return Promise.all(
    objects.map(async (object) => {
      const found = await cache.lookup(store, object.info);
      return inputObject(store, object, found !== null, found?.versionId);
    }),
  );
}

function inputObject(store: ObjectStore, object: LakeObject, hit: boolean, versionId: string | undefined): InputObject {
  return {
    uri: store.uri(object.info.key),
    size: object.info.size,
    etag: object.info.etag,
    ...(versionId ? { versionId } : {}),
    cacheHit: hit,
  };
}

/**
 * Hive partitions come from paths, and cached copies are named by hash: lay the copies out
 * again under their visible paths (symbolic links, or copies where links are refused).
 * File names get an index so that two runs' `data_0.parquet` in one folder stay apart.
 */
export async function hiveTree(copies: LocalCopy[], dir: string): Promise<string[]> {
  return mapLimit(copies, 16, async (c, i) => {
    const parts = c.object.path.split('/');
    const base = parts.pop()!;
    const target = join(dir, ...parts, `${i}-${base}`);
    await mkdir(dirname(target), { recursive: true });
    try {
      await symlink(c.path, target);
    } catch {
      await copyFile(c.path, target);
    }
    return target;
  });
}
