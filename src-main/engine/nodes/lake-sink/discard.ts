import { namedKeys, readManifest } from '../../storage/lake-manifest';
import type { StagedLake } from './stage';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Removes what stage uploaded, except any key the live manifest names (its files or its
 * superseded ones): never data a reader may be reading. Does nothing for an output that was
 * committed, or whose commit is uncertain (weir gc decides about those once no manifest can
 * still name them), or that was discarded already. Runs without a signal: a cancel is
 * usually what calls it.
 */
export async function discardLakeOutput(s: StagedLake): Promise<void> {
  if (s.state !== 'staged') return;
  s.state = 'discarded';
  if (!s.uploaded.length) return;
  let live: Set<string>;
  try {
    const m = await readManifest(s.store, s.dir);
    live = m ? namedKeys(m.manifest) : new Set();
  } catch (e) {
    s.warn(`this run's uploads to ${s.store.uri(s.dir)} were kept: the manifest could not be read to check them (${message(e)})`);
    return;
  }
  const doomed = s.uploaded.filter((key) => !live.has(key.slice(s.dir.length)));
  if (doomed.length) {
    await s.store.delete(doomed).catch((e: unknown) => s.warn(`this run's uploads to ${s.store.uri(s.dir)} were not all deleted: ${message(e)}`));
  }
}
