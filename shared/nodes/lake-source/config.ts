import { z } from 'zod';
import { fileFormat, identifier } from '../common';
import { fileSourceConfig } from '../file-source/config';

/** A key prefix inside a lake connection, written with `/`; never climbing out with `..`. */
export const lakePrefix = z
  .string()
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'expected a prefix inside the connection (no "..")');

export const lakeSourceConfig = z.strictObject({
  /** A folder or s3 connection of the workspace, for the run's environment. */
  connection: identifier,
  /** Folder-like prefix under the connection's root, e.g. `raw/assays/`. */
  prefix: lakePrefix.default(''),
  /**
   * Which objects under the prefix, matched against the rest of the key: `*` within a
   * folder, `**` across folders, `{a,b}`, `?`, `[abc]`. Names starting with `_` or `.` are
   * skipped, except through a lake sink's `_manifest.json`, which readers follow.
   */
  glob: z.string().min(1).default('**/*'),
  format: fileFormat,
  /** Read `key=value/` folders (relative to the prefix) as columns. */
  hive_partitioning: z.boolean().default(false),
  /** Combine files whose columns differ by name rather than by position. */
  union_by_name: z.boolean().default(false),
  csv: fileSourceConfig.shape.csv,
  /**
   * Read only the objects added (or replaced: another ETag) since the last fully successful run
   * of this pipeline in this environment; the objects listed are kept in `.weir/state/`. With
   * nothing new, the node is an empty table of the objects' columns.
   */
  only_new: z.boolean().default(false),
});
export type LakeSourceConfig = z.infer<typeof lakeSourceConfig>;

/** A prefix as a folder key: forward slashes, no leading slash, one trailing slash (empty stays empty). */
export function lakeDir(prefix: string): string {
  const p = prefix.replace(/\\/g, '/').replace(/^\/+/, '').replace(/\/{2,}/g, '/');
  return p === '' || p.endsWith('/') ? p : `${p}/`;
}
