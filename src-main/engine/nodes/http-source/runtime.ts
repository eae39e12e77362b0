import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { WeirError } from '../../../../shared/errors';
import { httpEmptyStatement, httpReadStatement, httpSourceKind, type HttpSourceConfig } from '../../../../shared/nodes/http-source';
import type { InputObject } from '../../../../shared/run/record';
import { fetchPages } from '../../http/paginate';
import { defineNodeRuntime } from '../define';
import type { NodeOutcome, RunContext } from '../types';
import { NdjsonWriter } from './land-records';
import { requestPlan, type RequestPlan } from './request-plan';

/**
 * Reads a JSON API into a table: follows its pagination, retries throttling and server
 * errors, writes the records to NDJSON in the run's scratch folder and reads that with
 * DuckDB. Never cached: an API answers differently from one run to the next.
 */
export const httpSourceRuntime = defineNodeRuntime(httpSourceKind, {
  cacheable: false,
  async run(ctx) {
    const plan = requestPlan(ctx);
    try {
      return await fetchAndLand(ctx, plan);
    } catch (e) {
      // A last guard: whatever failed, its message reaches the run record, the audit log
      // and OpenLineage, so a secret the request was built from is masked in it.
      if (e instanceof Error) e.message = plan.secrets.redact(e.message);
      throw e;
    }
  },
});

async function fetchAndLand(ctx: RunContext<HttpSourceConfig>, plan: RequestPlan): Promise<NodeOutcome> {
  const file = join(ctx.scratchDir, 'http-source', `${ctx.node.id}.ndjson`);
  const out = new NdjsonWriter(file);
  const inputs: InputObject[] = [];
  try {
    for await (const page of fetchPages({
      method: ctx.config.method,
      url: plan.url,
      scope: plan.scope,
      ...(ctx.config.body !== undefined ? { body: ctx.config.body } : {}),
      timeoutMs: ctx.config.timeout_seconds * 1000,
      retries: ctx.config.retries,
      signal: ctx.signal,
      who: plan.who,
      pagination: ctx.config.pagination,
      recordsPath: ctx.config.records_path,
      maxPages: ctx.config.max_pages,
      secrets: plan.secrets,
      onRetry: (why, attempt, delay) => ctx.warn(`${plan.who}: ${plan.secrets.redact(why)}, retry ${attempt} of ${ctx.config.retries} in ${delay} ms`, 'retry'),
    })) {
      await out.write(page.records);
      inputs.push({ uri: page.url, size: page.bytes.length, sha256: createHash('sha256').update(page.bytes).digest('hex') });
      ctx.reportRows(out.count);
    }
  } finally {
    await out.close();
  }
  if (out.count === 0) {
    if (!ctx.config.columns) throw new WeirError('node', `${plan.who}: the API returned no records; set "columns" to get an empty table instead`);
    await ctx.conn.run(httpEmptyStatement(ctx.node.name, ctx.config.columns));
  } else {
    await ctx.conn.run(httpReadStatement(ctx.node.name, file.replace(/\\/g, '/'), ctx.config));
  }
  return { rows: null, inputs };
}
