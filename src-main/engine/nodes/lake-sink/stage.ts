import { WeirError } from '../../../../shared/errors';
import type { LakeSinkConfig } from '../../../../shared/nodes/lake-sink';
import type { OutputObject } from '../../../../shared/run/record';
import { MANIFEST_NAME, RUNS_FOLDER, danglingEntry, readManifest, type LakeManifest, type ManifestFile } from '../../storage/lake-manifest';
import type { ObjectStore } from '../../storage/object-store';
import { removeStaleLakeLitter } from '../../gc/lake-stage-litter';
import { mapLimit } from '../../storage/parallel';
import { cancelled } from '../../storage/retry';
import type { LocalFile } from './local-output';

/** Files uploaded at once (each large one also sends its parts in parallel). */
const UPLOAD_CONCURRENCY = 4;

export interface StageArgs {
  store: ObjectStore;
  /** The output folder: normalized, ending with `/`. */
  dir: string;
  runId: string;
  nodeName: string;
  config: LakeSinkConfig;
  files: LocalFile[];
  rows: number;
  signal: AbortSignal;
  warn: (message: string) => void;
}

/**
 * A lake output uploaded but not published: what commitLakeOutput writes and what
 * discardLakeOutput removes. It holds the store; the caller closes it after commit or discard.
 */
export interface StagedLake {
  readonly store: ObjectStore;
  readonly dir: string;
  readonly runId: string;
  /** The ETag of the manifest stage read (null: there was none). The commit requires it unchanged. */
  readonly baseEtag: string | null;
  /** The next manifest; commit stamps `written_at`. */
  readonly manifest: LakeManifest;
  /** Full keys of this run's uploads, under `<dir>_runs/<run id>/`. */
  readonly uploaded: readonly string[];
  /** Sizes of the uploads by full key, checked again just before the commit. */
  readonly sizes: ReadonlyMap<string, number>;
  /** Full keys of superseded files past `keep_previous`, deleted after the commit. */
  readonly expired: readonly string[];
  readonly outputs: OutputObject[];
  readonly warn: (message: string) => void;
  /**
   * staged: nothing visible changed; committed: the manifest names this run's files;
   * uncertain: whether the manifest write happened could not be found out, so nothing of
   * the run may be deleted now (`weir gc` removes it later if no manifest names it);
   * discarded: the uploads were removed.
   */
  state: 'staged' | 'committed' | 'uncertain' | 'discarded';
}

function sameShape(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Reads and checks the current manifest, uploads the run's files under
 * `<dir>_runs/<run id>/` and builds the next manifest in memory. Nothing a reader sees
 * changes. If it fails or is cancelled, what it uploaded is deleted again before it throws.
 */
export async function stageLakeOutput(a: StageArgs): Promise<StagedLake> {
  const { store, dir, runId, config } = a;
  const opts = { signal: a.signal };
  // What killed runs left in this output, once older than the grace period (never this run's); a problem is a warning.
  await removeStaleLakeLitter(store, dir, runId, { signal: a.signal, warn: a.warn });
  const before = await readManifest(store, dir, opts);
  const previous = before?.manifest;
  if (config.mode === 'append' && previous) {
    if (previous.file_format !== config.format || !sameShape(previous.partition_by, config.partition_by)) {
      throw new WeirError(
        'node',
        `cannot append ${config.format} partitioned by [${config.partition_by.join(', ')}] to ${store.uri(dir)}, which holds ${previous.file_format} partitioned by [${previous.partition_by.join(', ')}]`,
      );
    }
    // Extending a manifest copies its entries forward: a missing file would stay missing in
    // every later output while the row counts add up.
    const dangling = await danglingEntry(store, dir, previous, opts);
    if (dangling) {
      throw new WeirError('node', `cannot append to ${store.uri(dir)}: its ${MANIFEST_NAME} names ${store.uri(dangling.key)}, which ${dangling.problem}; nothing was uploaded`);
    }
  }

  const runFolder = `${RUNS_FOLDER}/${runId}/`;
  const uploaded: string[] = [];
  let written: ManifestFile[];
  try {
    written = await mapLimit(a.files, UPLOAD_CONCURRENCY, async (f) => {
      if (a.signal.aborted) throw cancelled();
      const key = `${dir}${runFolder}${f.rel}`;
      const info = await store.putFile(key, f.path, opts);
      uploaded.push(key);
      return { key: `${runFolder}${f.rel}`, path: f.rel, size: f.size, etag: info.etag, sha256: f.sha256, run_id: runId };
    });
    if (a.signal.aborted) throw cancelled();
  } catch (e) {
    if (uploaded.length) {
      // Without the run's signal: it may be the cancel that brought us here.
      await store.delete(uploaded).catch(() => {
        // Left-overs sit under _runs/<run id>/, which no manifest names: invisible to readers, and `weir gc` litter.
      });
    }
    throw e;
  }

  const files = config.mode === 'append' && previous ? [...previous.files, ...written] : written;
  const kept = new Set(files.map((f) => f.key));
  const dropped = previous ? previous.files.filter((f) => !kept.has(f.key)).map((f) => f.key) : [];
  const superseded = [...(previous && dropped.length ? [{ run_id: previous.run_id, keys: dropped }] : []), ...(previous?.superseded ?? [])];
  const manifest: LakeManifest = {
    format: 'weir.lake.manifest',
    version: 1,
    run_id: runId,
    node: a.nodeName,
    written_at: new Date().toISOString(),
    file_format: config.format,
    partition_by: [...config.partition_by],
    mode: config.mode,
    rows: config.mode === 'append' && previous ? (previous.rows === null ? null : previous.rows + a.rows) : a.rows,
    files,
    superseded: superseded.slice(0, config.keep_previous),
  };
  return {
    store,
    dir,
    runId,
    baseEtag: before?.info.etag ?? null,
    manifest,
    uploaded,
    sizes: new Map(written.map((f) => [`${dir}${f.key}`, f.size])),
    expired: superseded.slice(config.keep_previous).flatMap((s) => s.keys).map((k) => `${dir}${k}`),
    outputs: written.map((f) => ({ uri: store.uri(`${dir}${f.key}`), size: f.size, ...(f.sha256 ? { sha256: f.sha256 } : {}) })),
    warn: a.warn,
    state: 'staged',
  };
}
