import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LakeSinkConfig } from '../../../../shared/nodes/lake-sink';
import { describeOutput } from '../../storage/tree-hash';
import { writeCopy } from '../file-sink/partitioned-copy';
import type { RunContext } from '../types';

export interface LocalFile {
  /** Relative to the output folder, with `/`: `data_0.parquet`, `site=A/data_0.parquet`. */
  rel: string;
  path: string;
  size: number;
  sha256: string;
}

/**
 * Writes the input with DuckDB's COPY into the run's scratch folder: one file, or one
 * folder per partition value. Returns the files and the output's tree hash.
 */
export async function writeLocalOutput(ctx: RunContext<LakeSinkConfig>, input: string): Promise<{ rows: number; files: LocalFile[]; sha256: string }> {
  const dir = join(ctx.scratchDir, 'lake-sink', ctx.node.id);
  await rm(dir, { recursive: true, force: true });
  const ext = ctx.config.format === 'parquet' ? 'parquet' : 'csv';
  const partitioned = ctx.config.partition_by.length > 0;
  // DuckDB names partition files data_0.<ext>; the single file is named the same way.
  const target = partitioned ? dir : join(dir, `data_0.${ext}`);
  // The partitioned writer makes its folders; a single file needs its folder.
  if (!partitioned) await mkdir(dir, { recursive: true });
  // Same rows, same bytes and the same file split, run after run (see writeCopy).
  const rows = await writeCopy(ctx.conn, input, target.replace(/\\/g, '/'), ctx.config, ctx.signal);
  const described = await describeOutput(dir);
  const prefix = `file://${dir}`;
  const files = described.files.map((f) => {
    const path = f.uri.slice('file://'.length);
    return { rel: f.uri.slice(prefix.length + 1).replace(/\\/g, '/'), path, size: f.size ?? 0, sha256: f.sha256 ?? '' };
  });
  return { rows, files, sha256: described.sha256 };
}
