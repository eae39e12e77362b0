import { z } from 'zod';
import { identifier, workspacePath } from '../common';

export const fileSinkConfig = z.strictObject({
  /** Output file (or folder when partitioned), relative to the workspace folder. */
  path: workspacePath,
  format: z.enum(['parquet', 'csv']),
  /** Hive-style `col=value/` folders. */
  partition_by: z.array(identifier).default([]),
  /**
   * Rows are written sorted so that the same inputs give byte-identical files:
   * by these columns, or by every column when empty.
   */
  order_by: z.array(identifier).default([]),
});
export type FileSinkConfig = z.infer<typeof fileSinkConfig>;
