import { WeirError } from '../../../shared/errors';
import { MANIFEST_NAME, readManifest } from './lake-manifest';
import type { ObjectInfo, ObjectStore, TransferOptions } from './object-store';

/** An object a reader sees, with the path it is seen under (relative to the prefix read). */
export interface LakeObject {
  info: ObjectInfo;
  path: string;
}

/** Spark, Hive and DuckDB skip `_`- and `.`-names (markers, temporary and staging files). */
function hidden(rel: string): boolean {
  return rel.split('/').some((seg) => seg.startsWith('_') || seg.startsWith('.'));
}

/**
 * What a reader sees under a prefix: plain objects, except that a folder holding a
 * `_manifest.json` shows exactly the files its manifest names (under the paths the
 * manifest gives them), never the run folders beside it.
 */
export async function visibleObjects(store: ObjectStore, prefix: string, o: TransferOptions = {}): Promise<LakeObject[]> {
  const listing = await store.list(prefix, o);
  const byKey = new Map(listing.map((i) => [i.key, i]));
  // Shallowest manifests first; a manifest inside another's folder is not a separate output.
  const manifestDirs: string[] = [];
  for (const dir of listing
    .filter((i) => i.key.endsWith(`/${MANIFEST_NAME}`) || i.key === MANIFEST_NAME)
    .map((i) => i.key.slice(0, i.key.length - MANIFEST_NAME.length))
    .filter((d) => d.startsWith(prefix))
    .sort((a, b) => a.length - b.length)) {
    if (!manifestDirs.some((d) => dir.startsWith(d))) manifestDirs.push(dir);
  }
  const out: LakeObject[] = [];
  for (const info of listing) {
    if (manifestDirs.some((d) => info.key.startsWith(d))) continue;
    const rel = info.key.slice(prefix.length);
    if (!hidden(rel)) out.push({ info, path: rel });
  }
  for (const dir of manifestDirs) {
    const relDir = dir.slice(prefix.length);
    if (hidden(relDir)) continue;
    const m = await readManifest(store, dir, o);
    if (!m) continue; // deleted between the listing and now
    for (const f of m.manifest.files) {
      const info = byKey.get(`${dir}${f.key}`);
      if (!info) {
        throw new WeirError('connection', `connection "${store.connection}": ${dir}${MANIFEST_NAME} names "${dir}${f.key}", which does not exist`);
      }
      out.push({ info, path: `${relDir}${f.path}` });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.info.key < b.info.key ? -1 : 1));
}
