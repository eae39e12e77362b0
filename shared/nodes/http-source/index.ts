import { WeirError } from '../../errors';
import { defineNodeKind } from '../define';
import { httpSourceConfig } from './config';
import { httpReadStatement } from './statements';
import { paramsNamed } from './templates';

export * from './config';
export * from './statements';
export * from './templates';

export const httpSourceKind = defineNodeKind({
  kind: 'http_source',
  version: 1,
  label: 'HTTP / JSON API',
  category: 'source',
  order: 30,
  summary: 'Records from a JSON API, with pagination and retries; with an input, one request per value of a column',
  // One input only for a dependent source (for_each): the values it asks for.
  inputs: { min: 0, max: 1 },
  config: httpSourceConfig,
  defaults: () => ({ connection: 'api', url: 'entries', records_path: '', pagination: { type: 'none' } }),
  fields: { connection: { type: 'connection' }, 'for_each.column': { type: 'column', input: 0 } },
  connectionKinds: ['http'],
  params: (config) => paramsNamed(config),
  compile(config, at) {
    if (config.for_each && at.inputNames.length !== 1) throw new WeirError('invalid', `http source "${at.nodeName}": for_each takes the values of one input node's column; give it one input`);
    if (!config.for_each && at.inputNames.length) throw new WeirError('invalid', `http source "${at.nodeName}": with an input it needs for_each (the column whose values it asks for)`);
    const where = config.connection ? `${config.connection}:${config.url}` : config.url;
    const each = config.for_each ? `, once per value of ${at.inputNames[0]}.${config.for_each.column}` : '';
    // One comment line, whatever the names hold.
    const mark = config.watermark ? `, ${config.watermark.param} = the largest ${config.watermark.field} of the last successful run`.replace(/[\x00-\x1f\x7f]/g, ' ') : '';
    return {
      relation: 'table',
      statements: [`-- ${config.method} ${where} (pagination: ${config.pagination.type}${each}${mark}), records landed as NDJSON`, httpReadStatement(at.nodeName, '<records.ndjson>', config)],
    };
  },
  detail: (config) => config.url || null,
});
