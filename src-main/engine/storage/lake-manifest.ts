import { z } from 'zod';
import { WeirError } from '../../../shared/errors';
import type { ObjectInfo, ObjectStore, TransferOptions } from './object-store';

/**
 * The lake layout a lake sink writes (see docs/lake.md):
 *
 *   <path>/_runs/<run id>/<file or col=value/ folders>   written by one run, never changed
 *   <path>/_manifest.json                                names the files that are visible
 *
 * Replacing the manifest is the one write that publishes a run, so a failed, cancelled or
 * killed run leaves what readers see exactly as it was.
 */
export const MANIFEST_NAME = '_manifest.json';
export const RUNS_FOLDER = '_runs';

const manifestFile = z.object({
  /** Relative to the manifest's folder, e.g. `_runs/<run id>/data_0.parquet`. */
  key: z.string().min(1),
  /** How readers see it, relative to the manifest's folder: `data_0.parquet`, `site=A/data_0.parquet`. */
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  etag: z.string(),
  sha256: z.string().optional(),
  run_id: z.string(),
});
export type ManifestFile = z.infer<typeof manifestFile>;

export const lakeManifest = z.object({
  format: z.literal('weir.lake.manifest'),
  version: z.literal(1),
  /** The run that wrote this manifest. */
  run_id: z.string(),
  node: z.string().optional(),
  written_at: z.string(),
  file_format: z.enum(['parquet', 'csv']),
  partition_by: z.array(z.string()),
  mode: z.enum(['overwrite', 'append']),
  rows: z.number().int().nullable(),
  files: z.array(manifestFile),
  /** Files of earlier outputs that are no longer visible, kept for `keep_previous` swaps. */
  superseded: z.array(z.object({ run_id: z.string(), keys: z.array(z.string()) })).default([]),
});
export type LakeManifest = z.infer<typeof lakeManifest>;

export function manifestKey(dir: string): string {
  return `${dir}${MANIFEST_NAME}`;
}

/** The manifest of an output folder (`dir` ends with `/` or is empty), or null when none was published. */
export async function readManifest(store: ObjectStore, dir: string, o: TransferOptions = {}): Promise<{ manifest: LakeManifest; info: ObjectInfo } | null> {
  const got = await store.getBytes(manifestKey(dir), o);
  if (!got) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(got.body.toString('utf8'));
  } catch (e) {
    throw new WeirError('connection', `connection "${store.connection}": ${manifestKey(dir)} is not valid JSON (${(e as Error).message})`);
  }
  const parsed = lakeManifest.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new WeirError('connection', `connection "${store.connection}": ${manifestKey(dir)} is not a Weir lake manifest (${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'})`);
  }
  return { manifest: parsed.data, info: got.info };
}

export function serializeManifest(m: LakeManifest): Buffer {
  return Buffer.from(`${JSON.stringify(m, null, 2)}\n`);
}

/** Every key a manifest keeps alive, relative to its folder: visible files and superseded ones. */
export function namedKeys(m: LakeManifest): Set<string> {
  return new Set([...m.files.map((f) => f.key), ...m.superseded.flatMap((s) => s.keys)]);
}

/**
 * The first file a manifest names that is missing or has another size than it says, found
 * with one listing of the output folder; null when every file is there.
 */
export async function danglingEntry(store: ObjectStore, dir: string, m: LakeManifest, o: TransferOptions = {}): Promise<{ key: string; problem: string } | null> {
  const sizes = new Map((await store.list(dir, o)).map((i) => [i.key, i.size]));
  for (const f of m.files) {
    const size = sizes.get(`${dir}${f.key}`);
    if (size === undefined) return { key: `${dir}${f.key}`, problem: 'does not exist' };
    if (size !== f.size) return { key: `${dir}${f.key}`, problem: `has ${size} bytes, the manifest says ${f.size}` };
  }
  return null;
}
