import { defineNodeKind } from '../define';
import { httpSourceConfig } from './config';
import { httpReadStatement } from './statements';

export * from './config';
export * from './statements';

export const httpSourceKind = defineNodeKind({
  kind: 'http_source',
  version: 1,
  label: 'HTTP / JSON API',
  category: 'source',
  summary: 'Records from a JSON API, with pagination and retries',
  inputs: { min: 0, max: 0 },
  config: httpSourceConfig,
  defaults: () => ({ connection: 'api', url: 'entries', records_path: '', pagination: { type: 'none' } }),
  fields: { connection: { type: 'connection' } },
  connectionKinds: ['http'],
  compile(config, at) {
    const where = config.connection ? `${config.connection}:${config.url}` : config.url;
    return {
      relation: 'table',
      statements: [`-- ${config.method} ${where} (pagination: ${config.pagination.type}), records landed as NDJSON`, httpReadStatement(at.nodeName, '<records.ndjson>', config)],
    };
  },
  detail: (config) => config.url || null,
});
