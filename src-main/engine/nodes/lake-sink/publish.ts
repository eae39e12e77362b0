import { WeirError } from '../../../../shared/errors';
import type { LakeSinkConfig } from '../../../../shared/nodes/lake-sink';
import type { OutputObject } from '../../../../shared/run/record';
import { RUNS_FOLDER, manifestKey, readManifest, serializeManifest, type LakeManifest, type ManifestFile } from '../../storage/lake-manifest';
import type { ObjectStore } from '../../storage/object-store';
import { mapLimit } from '../../storage/parallel';
import { cancelled } from '../../storage/retry';
import type { LocalFile } from './local-output';

/** Files uploaded at once (each large one also sends its parts in parallel). */
const UPLOAD_CONCURRENCY = 4;

export interface PublishArgs {
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

function sameShape(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Uploads the run's files under `<dir>_runs/<run id>/`, then publishes them with one write
 * of `<dir>_manifest.json`. Until that write nothing a reader sees has changed; if anything
 * fails before it (or the run is cancelled), the uploaded files are deleted again.
 */
export async function publishToLake(a: PublishArgs): Promise<OutputObject[]> {
  const { store, dir, runId, config } = a;
  const opts = { signal: a.signal };
  const before = await readManifest(store, dir, opts);
  if (config.mode === 'append' && before) {
    const m = before.manifest;
    if (m.file_format !== config.format || !sameShape(m.partition_by, config.partition_by)) {
      throw new WeirError(
        'node',
        `cannot append ${config.format} partitioned by [${config.partition_by.join(', ')}] to ${store.uri(dir)}, which holds ${m.file_format} partitioned by [${m.partition_by.join(', ')}]`,
      );
    }
  }
  const runFolder = `${RUNS_FOLDER}/${runId}/`;
  const uploaded: string[] = [];
  let published = false;
  try {
    const written: ManifestFile[] = await mapLimit(a.files, UPLOAD_CONCURRENCY, async (f) => {
      if (a.signal.aborted) throw cancelled();
      const key = `${dir}${runFolder}${f.rel}`;
      const info = await a.store.putFile(key, f.path, opts);
      uploaded.push(key);
      return { key: `${runFolder}${f.rel}`, path: f.rel, size: f.size, etag: info.etag, sha256: f.sha256, run_id: runId };
    });
    if (a.signal.aborted) throw cancelled();

    const previous = before?.manifest;
    const files = config.mode === 'append' && previous ? [...previous.files, ...written] : written;
    const kept = new Set(files.map((f) => f.key));
    const dropped = previous ? previous.files.filter((f) => !kept.has(f.key)).map((f) => f.key) : [];
    const superseded = [...(dropped.length ? [{ run_id: previous!.run_id, keys: dropped }] : []), ...(previous?.superseded ?? [])];
    const expired = superseded.slice(config.keep_previous);
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

    // Another run that published since we looked would be silently undone: refuse instead.
    const now = await readManifest(store, dir, opts);
    if ((now?.info.etag ?? null) !== (before?.info.etag ?? null)) {
      throw new WeirError('node', `${store.uri(manifestKey(dir))} was changed by another run while this one was writing; nothing was published, run again`);
    }
    if (a.signal.aborted) throw cancelled();
    await store.putBytes(manifestKey(dir), serializeManifest(manifest), opts);
    published = true;

    const toDelete = expired.flatMap((s) => s.keys).map((k) => `${dir}${k}`);
    if (toDelete.length) {
      await store.delete(toDelete).catch((e: unknown) => a.warn(`old output files were not all deleted: ${(e as Error).message}`));
    }
    return written.map((f) => ({ uri: store.uri(`${dir}${f.key}`), size: f.size, ...(f.sha256 ? { sha256: f.sha256 } : {}) }));
  } catch (e) {
    if (!published && uploaded.length) {
      // Without the run's signal: it may be the cancel that brought us here.
      await store.delete(uploaded).catch(() => {
        // Left-overs sit under _runs/<run id>/, which no manifest names: invisible to readers.
      });
    }
    throw e;
  }
}

