import { defineNodeKind } from '../define';
import { filePathAt, firstInput } from '../relation-sql';
import { fileSinkConfig } from './config';
import { copyStatement } from './copy-statement';

export * from './config';
export * from './copy-statement';

export const fileSinkKind = defineNodeKind({
  kind: 'file_sink',
  version: 1,
  label: 'File output',
  category: 'sink',
  order: 10,
  summary: 'Writes its input as Parquet or CSV, atomically',
  inputs: { min: 1, max: 1 },
  config: fileSinkConfig,
  defaults: () => ({ path: 'data/curated/output.parquet', format: 'parquet' }),
  fields: {
    path: { type: 'path', root: 'workspace', access: 'write' },
    partition_by: { type: 'column', input: 0 },
    order_by: { type: 'column', input: 0 },
  },
  // The engine writes a staging path beside the target and renames it into place when the run publishes.
  compile: (config, at) => ({ relation: 'none', statements: [copyStatement(firstInput(at), filePathAt(at, config.path), config)] }),
});
