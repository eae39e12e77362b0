import { defineNodeKind } from '../define';
import { csvOptionsNeeds, readStatement } from '../file-source';
import { lakeDir, lakeSourceConfig } from './config';

export * from './config';

export const lakeSourceKind = defineNodeKind({
  kind: 'lake_source',
  version: 1,
  label: 'Lake (S3 / folder)',
  category: 'source',
  order: 20,
  summary: 'CSV, Parquet or JSON objects under a prefix of an S3 bucket or lake folder; cached by ETag',
  inputs: { min: 0, max: 0 },
  config: lakeSourceConfig,
  defaults: () => ({ connection: 'lake', prefix: 'raw/', glob: '*.csv', format: 'csv' }),
  fields: {
    connection: { type: 'connection' },
    prefix: { type: 'path', root: 'connection', access: 'read' },
  },
  form: { needs: { '': csvOptionsNeeds } },
  connectionKinds: ['folder', 's3'],
  // A run reads its local copies (downloaded or cached) of the matched objects.
  compile: (config, at) => ({
    relation: 'table',
    statements: [readStatement(at.nodeName, `<local copies of ${config.connection}:${lakeDir(config.prefix)}${config.glob}>`, config)],
  }),
  detail: (config) => `${config.connection}: ${config.prefix}${config.glob}`,
});
