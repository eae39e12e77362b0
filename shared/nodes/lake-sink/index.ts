import { defineNodeKind } from '../define';
import { copyStatement } from '../file-sink/copy-statement';
import { lakeDir } from '../lake-source/config';
import { firstInput } from '../relation-sql';
import { lakeSinkConfig } from './config';

export * from './config';

export const lakeSinkKind = defineNodeKind({
  kind: 'lake_sink',
  version: 1,
  label: 'Lake output (S3 / folder)',
  category: 'sink',
  order: 30,
  summary: 'Parquet or CSV to an S3 bucket or lake folder, published atomically by a manifest',
  inputs: { min: 1, max: 1 },
  config: lakeSinkConfig,
  defaults: () => ({ connection: 'lake', path: 'curated/output', format: 'parquet' }),
  fields: {
    connection: { type: 'connection' },
    path: { type: 'path', root: 'connection', access: 'write' },
    partition_by: { type: 'column', input: 0 },
    order_by: { type: 'column', input: 0 },
  },
  connectionKinds: ['folder', 's3'],
  compile(config, at) {
    const dir = lakeDir(config.path);
    const local = `<scratch>/data_0.${config.format}`;
    return {
      relation: 'none',
      statements: [
        copyStatement(firstInput(at), config.partition_by.length ? '<scratch>' : local, config),
        `-- upload to ${config.connection}:${dir}_runs/${at.runId ?? '<run id>'}/, then publish ${config.connection}:${dir}_manifest.json (${config.mode})`,
      ],
    };
  },
});
