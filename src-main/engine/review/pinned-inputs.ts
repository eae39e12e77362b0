import { createHash } from 'node:crypto';
import type { ReviewInputObject } from '../../../shared/review/schema';
import type { InputObject, NodeRecord, RunRecord } from '../../../shared/run/record';
import { listStoredRuns } from '../audit/run-store';
import { NodeCache } from '../cache/node-cache';
import { runContext, type MaterializeEnv } from '../run/materialize';
import type { PlannedNode } from '../run/plan';

/** The base version's latest successful full run in the workspace: by its commit (clean), or by the file's bytes. */
export async function baseRunRecord(workspaceRoot: string, file: string, commit: string, text: string): Promise<RunRecord | null> {
  const sha = createHash('sha256').update(text).digest('hex');
  const { runs } = await listStoredRuns(workspaceRoot, {
    limit: 1,
    accept: (r) =>
      r.status === 'succeeded' && r.selection === null && r.pipeline.file === file && ((r.pipeline.gitCommit === commit && r.pipeline.gitDirty === false) || r.pipeline.sha256 === sha),
  });
  return runs[0]?.record ?? null;
}

const sameObject = (a: InputObject, b: InputObject) =>
  a.size === b.size && (a.sha256 ?? null) === (b.sha256 ?? null) && (a.etag ?? null) === (b.etag ?? null) && (a.versionId ?? null) === (b.versionId ?? null);

export interface PinnedSource {
  objects: ReviewInputObject[];
  /** Every object the base run read is here, unchanged (or the base run's result is in the cache). */
  servedFromCache: boolean;
  /** What is missing or changed, in words, when neither the objects nor the cache can give the base run's input. */
  problem: string | null;
}

/**
 * Compares what a source reads now with what it read in the base run (its record's input
 * objects, by uri: size, SHA-256, ETag, version). When something differs, the base run's
 * result of the node is served from the node cache (by the record's cache key) where it is
 * still there, into the session's current schema; otherwise the problem is named.
 */
export async function pinSource(p: PlannedNode, env: MaterializeEnv, rec: NodeRecord | undefined): Promise<PinnedSource> {
  const name = p.node.name;
  if (!rec) return { objects: [], servedFromCache: false, problem: `source ${name} is not in the base run record` };
  if (!rec.inputs) {
    // A source that names no objects (a database query, an API): the base run's result, or nothing to pin.
    if (await fromCache(p, env, rec)) return { objects: [], servedFromCache: true, problem: null };
    return { objects: [], servedFromCache: false, problem: `source ${name} recorded no input objects in the base run, and the node cache no longer holds its result` };
  }
  const now = p.runtime.fingerprint ? (await p.runtime.fingerprint(runContext(p, env))).inputs : [];
  const current = new Map(now.map((o) => [o.uri, o]));
  const recorded = new Set(rec.inputs.map((o) => o.uri));
  const objects: ReviewInputObject[] = rec.inputs.map((o) => {
    const c = current.get(o.uri);
    const status = !c ? 'missing' : sameObject(o, c) ? 'same' : 'changed';
    return { node: name, uri: o.uri, size: o.size, ...(o.sha256 ? { sha256: o.sha256 } : {}), ...(o.etag ? { etag: o.etag } : {}), status };
  });
  // An object the base run never read (a new file matching the glob) changes the source too.
  for (const o of now) {
    if (!recorded.has(o.uri)) objects.push({ node: name, uri: o.uri, size: o.size, ...(o.sha256 ? { sha256: o.sha256 } : {}), ...(o.etag ? { etag: o.etag } : {}), status: 'changed' });
  }
  const off = objects.filter((o) => o.status !== 'same');
  if (!off.length) return { objects, servedFromCache: false, problem: null };
  if (await fromCache(p, env, rec)) return { objects, servedFromCache: true, problem: null };
  const what = off.map((o) => `${o.uri} ${o.status}`).join(', ');
  return { objects, servedFromCache: false, problem: `source ${name}: ${what} since the base run, and the node cache no longer holds that run's result` };
}

/** The base run's result of the source, from the node cache by its recorded key, made the node's relation; false when gone. */
async function fromCache(p: PlannedNode, env: MaterializeEnv, rec: NodeRecord): Promise<boolean> {
  if (!env.cache || !rec.cacheKey) return false;
  const hit = await env.cache.lookup(rec.cacheKey);
  if (!hit) return false;
  await env.conn.run(NodeCache.viewOver(p.node.name, hit));
  env.keys.set(p.node.id, rec.cacheKey);
  return true;
}
