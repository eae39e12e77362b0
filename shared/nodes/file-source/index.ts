import { defineNodeKind } from '../define';
import { filePathAt } from '../relation-sql';
import { csvOptionsNeeds, fileSourceConfig } from './config';
import { readStatement } from './read-function';

export * from './config';
export * from './read-function';

export const fileSourceKind = defineNodeKind({
  kind: 'file_source',
  version: 1,
  label: 'File',
  category: 'source',
  order: 10,
  summary: 'CSV, Parquet or JSON files in the workspace; globs and hive partitions',
  inputs: { min: 0, max: 0 },
  config: fileSourceConfig,
  defaults: () => ({ path: 'data/raw/*.csv', format: 'csv' }),
  fields: { path: { type: 'path', root: 'workspace', access: 'read' } },
  form: { needs: { '': csvOptionsNeeds } },
  // What `weir plan` shows (the pattern); a run reads the checked list of matched files instead.
  compile: (config, at) => ({ relation: 'table', statements: [readStatement(at.nodeName, filePathAt(at, config.path), config)] }),
});
