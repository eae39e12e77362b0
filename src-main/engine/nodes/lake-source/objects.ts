import { WeirError } from '../../../../shared/errors';
import type { LakeSourceConfig } from '../../../../shared/nodes/lake-source';
import { globMatcher, normalizePrefix } from '../../storage/glob';
import { visibleObjects, type LakeObject } from '../../storage/lake-listing';
import type { ObjectStore } from '../../storage/object-store';
import type { RunContext } from '../types';
import { newSince, type Matched } from './new-objects';

export type { Matched } from './new-objects';

export function storeFor(ctx: RunContext<{ connection: string }>): Promise<ObjectStore> {
  // Each retry is a warning, counted in the node's record.
  const onRetry = (message: string) => ctx.warn(message, 'retry');
  return ctx.engine.clients.objectStore(ctx.config.connection, ctx.connection(ctx.config.connection), { workspaceRoot: ctx.workspace.root, s3Tuning: { onRetry } });
}

/**
 * The objects a lake source reads: visible under its prefix (manifests followed), matching
 * its glob, and with `only_new` not read by the last successful run. Listed once per run
 * context: the cache key (fingerprint) and the read (run) then describe the same objects, and
 * the bucket is not listed twice.
 */
export function matchedObjects(ctx: RunContext<LakeSourceConfig>, store: ObjectStore): Promise<Matched> {
  let listed = listings.get(ctx);
  if (!listed) {
    listed = listMatched(ctx, store);
    listings.set(ctx, listed);
  }
  return listed;
}

const listings = new WeakMap<RunContext<LakeSourceConfig>, Promise<Matched>>();

async function listMatched(ctx: RunContext<LakeSourceConfig>, store: ObjectStore): Promise<Matched> {
  const prefix = normalizePrefix(ctx.config.prefix);
  const matches = globMatcher(ctx.config.glob);
  const objects = (await visibleObjects(store, prefix, { signal: ctx.signal })).filter((o) => matches(o.path));
  if (!objects.length) {
    throw new WeirError('connection', `connection "${ctx.config.connection}": no object matches "${prefix}${ctx.config.glob}" in ${store.uri(prefix)}`);
  }
  if (!ctx.config.only_new) return { objects, shapeFrom: null };
  return newSince(ctx, store, objects);
}
