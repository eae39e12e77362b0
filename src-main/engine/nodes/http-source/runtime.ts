import { WeirError } from '../../../../shared/errors';
import { httpEmptyStatement, httpReadStatement, httpSourceKind } from '../../../../shared/nodes/http-source';
import { defineNodeRuntime } from '../define';
import { fetched } from './fetch';

/**
 * Reads a JSON API into a table: follows its pagination, retries throttling and server
 * errors, writes the records to NDJSON in the run's scratch folder and reads that with
 * DuckDB. With an input (for_each), once per distinct value of a column.
 *
 * Cached like a file source: its fingerprint is what the API answered, page by page (the
 * pages are fetched to compute it, conditionally where the API sends validators: see
 * fetch.ts), so a re-run that gets the same answers is served from the node cache, and so is
 * everything downstream. A result whose records hold a secret is never stored.
 */
export const httpSourceRuntime = defineNodeRuntime(httpSourceKind, {
  cacheable: true,
  async fingerprint(ctx) {
    const f = await fetched(ctx);
    return { fingerprint: f.fingerprint, inputs: f.inputs };
  },
  async run(ctx) {
    const f = await fetched(ctx);
    if (!f.file) {
      if (!ctx.config.columns) throw new WeirError('node', `${f.who}: the API returned no records; set "columns" to get an empty table instead`);
      await ctx.conn.run(httpEmptyStatement(ctx.node.name, ctx.config.columns));
    } else {
      await ctx.conn.run(httpReadStatement(ctx.node.name, f.file.replace(/\\/g, '/'), ctx.config));
    }
    return { rows: null, inputs: f.inputs };
  },
});
