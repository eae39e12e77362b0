import { z } from 'zod';
import { fileFormat, workspacePath } from '../common';
import type { FieldNeeds } from '../form-needs';

export const fileSourceConfig = z.strictObject({
  /** Relative to the workspace folder; `*`, `**` and `{a,b}` globs as DuckDB reads them. */
  path: workspacePath,
  format: fileFormat,
  /** Read `key=value/` folders as columns. */
  hive_partitioning: z.boolean().default(false),
  /** Combine files whose columns differ by name rather than by position. */
  union_by_name: z.boolean().default(false),
  csv: z
    .strictObject({
      header: z.boolean().default(true),
      delimiter: z.string().min(1).max(4).default(','),
      /** Strings read as NULL, besides the empty string. */
      null_strings: z.array(z.string()).default([]),
      /** Read every column as text so that cleaning happens in SQL, visibly. */
      all_varchar: z.boolean().default(false),
    })
    .optional(),
});
export type FileSourceConfig = z.infer<typeof fileSourceConfig>;

/** CSV options are for CSV files: a Parquet or JSON source's form does not offer them (file and lake sources). */
export const csvOptionsNeeds: FieldNeeds = { by: 'format', needs: { parquet: { csv: 'hidden' }, json: { csv: 'hidden' } } };
