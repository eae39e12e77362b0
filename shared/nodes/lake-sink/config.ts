import { z } from 'zod';
import { identifier } from '../common';
import { lakePrefix } from '../lake-source/config';

export const lakeSinkConfig = z.strictObject({
  /** A folder or s3 connection of the workspace, for the run's environment. */
  connection: identifier,
  /**
   * The output's folder under the connection's root, e.g. `curated/batch_release`. Files go
   * to `<path>/_runs/<run id>/` and become visible when `<path>/_manifest.json` names them.
   */
  path: lakePrefix.refine((p) => p.replace(/[\\/]/g, '') !== '', 'expected a non-empty path'),
  format: z.enum(['parquet', 'csv']),
  /** Hive-style `col=value/` folders. */
  partition_by: z.array(identifier).default([]),
  /** Rows are written sorted (by these columns, or by every column) so outputs are reproducible. */
  order_by: z.array(identifier).default([]),
  /** overwrite: the new files replace the visible ones; append: they are added to them. */
  mode: z.enum(['overwrite', 'append']).default('overwrite'),
  /**
   * Earlier outputs kept after an overwrite, for readers still reading them (and for a
   * manual rollback); older ones are deleted.
   */
  keep_previous: z.number().int().min(0).max(100).default(1),
});
export type LakeSinkConfig = z.infer<typeof lakeSinkConfig>;
