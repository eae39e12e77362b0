import { WeirError } from '../../../../shared/errors';
import type { OutputObject } from '../../../../shared/run/record';
import { RUNS_FOLDER, manifestKey, readManifest, serializeManifest } from '../../storage/lake-manifest';
import { PreconditionFailed } from '../../storage/object-store';
import { cancelled } from '../../storage/retry';
import type { StagedLake } from './stage';

/**
 * After a manifest write whose answer never came (a dropped connection, a timeout, a
 * cancel), the request may still be on its way to being applied: the manifest is read
 * back a second time after this long before the write is taken as not done.
 */
export const SETTLE_MS = 1000;

/** A read-back that takes longer than this counts as failed (the outcome is then uncertain, and nothing is deleted). */
const READ_BACK_TIMEOUT_MS = 30_000;

export interface CommitOptions {
  signal?: AbortSignal;
  /** Wait before the second read-back (tests shorten it). */
  settleMs?: number;
}

export interface CommitResult {
  outputs: OutputObject[];
  published: true;
  /**
   * The run was cancelled while the manifest was being written, and the write happened:
   * published, then stopped (the run record says `published_then_cancelled`).
   */
  thenCancelled: boolean;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function changedByAnotherRun(s: StagedLake): WeirError {
  return new WeirError('node', `${s.store.uri(manifestKey(s.dir))} was changed by another run while this one was writing; nothing was published, run again`);
}

/** Whether the live manifest is, byte for byte, the one this commit wrote; null when it cannot be read. */
async function readBack(s: StagedLake, body: Buffer): Promise<boolean | null> {
  try {
    // Without the run's signal (the cancel may be what brought us here), but not forever.
    const got = await s.store.getBytes(manifestKey(s.dir), { signal: AbortSignal.timeout(READ_BACK_TIMEOUT_MS) });
    return got !== null && got.body.equals(body);
  } catch {
    return null;
  }
}

/**
 * The truth about a manifest write that failed or was interrupted: published, not
 * published, or unknown (the store cannot be read either).
 */
async function findOut(s: StagedLake, body: Buffer, error: unknown, settleMs: number): Promise<'published' | 'not-published' | 'unknown'> {
  const first = await readBack(s, body);
  if (first === true) return 'published';
  // A refused condition is an answer: the write was not applied, and with the ETag moved on
  // it never can be.
  if (first === false && error instanceof PreconditionFailed) return 'not-published';
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const second = await readBack(s, body);
  if (second === true) return 'published';
  return second === false ? 'not-published' : 'unknown';
}

/** Listings tried before a staged file counts as gone: a listing may trail a just-finished upload. */
const LIST_DELAYS_MS = [0, 200, 1000];

/**
 * The staged files must still be there: a `weir gc` with too short a grace period could have
 * removed them. Some S3-compatible servers list an object a moment after its upload
 * answered (seen with s3rver under load), so a missing or short entry is listed again
 * before the commit is refused.
 */
async function checkStaged(s: StagedLake, signal: AbortSignal | undefined): Promise<void> {
  let missing = '';
  for (const delay of LIST_DELAYS_MS) {
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    if (signal?.aborted) throw cancelled();
    const listed = new Map((await s.store.list(`${s.dir}${RUNS_FOLDER}/${s.runId}/`, { signal })).map((i) => [i.key, i.size]));
    missing = [...s.sizes].find(([key, size]) => listed.get(key) !== size)?.[0] ?? '';
    if (!missing) return;
  }
  throw new WeirError('node', `${s.store.uri(missing)}, uploaded by this run, is gone or changed (removed by weir gc?); nothing was published, run again`);
}

/**
 * Publishes a staged lake output with the one visible write: `<dir>_manifest.json`, on
 * condition that it is still the manifest stage read (If-Match where the store enforces it,
 * and a read-and-compare just before in any case). When the write fails or is interrupted,
 * the manifest is read back to learn whether it happened: if it did, the commit succeeded
 * (`thenCancelled` when a cancel interrupted it); if it did not, the staged output stays
 * discardable; if even the read-back fails, the output is marked uncertain and nothing of it
 * may be deleted. Then the superseded files past `keep_previous` are deleted (best effort).
 */
export async function commitLakeOutput(s: StagedLake, o: CommitOptions = {}): Promise<CommitResult> {
  const { store, dir, runId } = s;
  const { signal } = o;
  const key = manifestKey(dir);
  if (s.state !== 'staged') throw new WeirError('internal', `the lake output ${store.uri(dir)} of run ${runId} is ${s.state}, not staged`);
  if (signal?.aborted) throw cancelled();
  await checkStaged(s, signal);
  const now = await readManifest(store, dir, { signal });
  if ((now?.info.etag ?? null) !== s.baseEtag) throw changedByAnotherRun(s);
  if (signal?.aborted) throw cancelled();

  const body = serializeManifest({ ...s.manifest, written_at: new Date().toISOString() });
  try {
    await store.putBytes(key, body, { signal, ifMatch: s.baseEtag });
  } catch (e) {
    const truth = await findOut(s, body, e, o.settleMs ?? SETTLE_MS);
    if (truth === 'unknown') {
      s.state = 'uncertain';
      throw new WeirError(
        'connection',
        `cannot tell whether ${store.uri(key)} was published (${message(e)}; reading it back failed too); this run's files under ${store.uri(`${dir}${RUNS_FOLDER}/${runId}/`)} are kept, weir gc removes them if no manifest names them`,
      );
    }
    if (truth === 'not-published') {
      if (e instanceof PreconditionFailed) throw changedByAnotherRun(s);
      if (signal?.aborted) throw cancelled();
      throw new WeirError(e instanceof WeirError ? e.kind : 'connection', `${message(e)}; ${store.uri(key)} was not published`);
    }
    if (!signal?.aborted) s.warn(`the answer to the write of ${store.uri(key)} was lost (${message(e)}); read back, it was published`);
  }
  s.state = 'committed';
  if (s.expired.length) {
    await store.delete(s.expired).catch((e: unknown) => s.warn(`old output files were not all deleted: ${message(e)}`));
  }
  return { outputs: s.outputs, published: true, thenCancelled: signal?.aborted ?? false };
}
