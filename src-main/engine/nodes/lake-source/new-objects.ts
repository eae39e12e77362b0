import { WeirError } from '../../../../shared/errors';
import type { LakeSourceConfig } from '../../../../shared/nodes/lake-source';
import type { LakeObject } from '../../storage/lake-listing';
import type { ObjectStore } from '../../storage/object-store';
import type { RunContext } from '../types';

/** What a lake source reads: its objects, and (`only_new` with nothing new) one known object whose columns shape the empty table. */
export interface Matched {
  objects: LakeObject[];
  shapeFrom: LakeObject | null;
}

/** What a lake source with `only_new` keeps: every object its last successful run listed, by URI, with its ETag. */
interface KeptListing {
  objects: Record<string, string>;
}

function keptListing(kept: unknown, node: string): Record<string, string> {
  if (kept === null || kept === undefined) return {};
  const k = kept as Partial<KeptListing>;
  const ok = typeof k === 'object' && k.objects !== null && typeof k.objects === 'object' && Object.values(k.objects).every((v) => typeof v === 'string');
  if (!ok) throw new WeirError('node', `node "${node}": its kept listing in .weir/state/ is not one (delete it to read every object again)`);
  return k.objects!;
}

/**
 * The objects not read by the last fully successful run: a key it did not list, or one whose
 * ETag changed since (a replaced object is read again whole). The whole listing is proposed as
 * the next kept one, so an object removed from the lake and put back later counts as new.
 * With nothing new, the last object (in key order) gives the empty table its columns.
 */
export async function newSince(ctx: RunContext<LakeSourceConfig>, store: ObjectStore, objects: LakeObject[]): Promise<Matched> {
  const seen = keptListing(ctx.state ? await ctx.state.read() : null, ctx.node.name);
  const fresh = objects.filter((o) => seen[store.uri(o.info.key)] !== o.info.etag);
  ctx.state?.propose({ objects: Object.fromEntries(objects.map((o) => [store.uri(o.info.key), o.info.etag])) } satisfies KeptListing);
  return { objects: fresh, shapeFrom: fresh.length ? null : objects[objects.length - 1]! };
}
