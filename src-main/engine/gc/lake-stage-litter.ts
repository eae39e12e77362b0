import { removeLakeLitter } from '../storage/lake-litter';
import type { ObjectStore } from '../storage/object-store';

/**
 * For a lake sink as it stages: removes what earlier runs left in its own output folder
 * (objects no manifest names, unfinished uploads) once older than the grace period, never
 * anything of `runId`. It never fails the run: a problem is one warning. Returns the bytes
 * removed.
 */
export async function removeStaleLakeLitter(store: ObjectStore, dir: string, runId: string, o: { signal?: AbortSignal; warn?: (message: string) => void } = {}): Promise<number> {
  try {
    const done = await removeLakeLitter(store, dir, { exceptRunIds: [runId], ...(o.signal ? { signal: o.signal } : {}) });
    return done.bytes;
  } catch (e) {
    if (!o.signal?.aborted) o.warn?.(`litter of earlier runs in ${store.uri(dir)} was not removed (weir gc removes it): ${(e as Error).message.split('\n')[0]}`);
    return 0;
  }
}
