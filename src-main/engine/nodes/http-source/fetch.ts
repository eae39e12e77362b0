import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { canonicalJson } from '../../../../shared/canonical-json';
import { durationMs, type HttpSourceConfig } from '../../../../shared/nodes/http-source';
import type { InputObject } from '../../../../shared/run/record';
import { httpCacheDir } from '../../cache/cache-paths';
import { PageCache } from '../../http/page-cache';
import { fetchPages, type PageAnswer, type PageGetter } from '../../http/paginate';
import { requestJson } from '../../http/request';
import { keptMark, markScope, MarkTracker, type MarkValue } from '../../http/watermark';
import { mapLimit } from '../../storage/parallel';
import type { RunContext } from '../types';
import type { InputValue } from './fill';
import { inputValues } from './input-values';
import { NdjsonWriter } from './land-records';
import { requestPlan, whoOf, type RequestPlan } from './request-plan';

/** What an http source fetched: its records landed as NDJSON, the pages it read, and its cache fingerprint. */
export interface Fetched {
  /** The NDJSON file (absent when there were no records). */
  file: string | null;
  count: number;
  inputs: InputObject[];
  /** The pages' contents as the cache key's part; null when a record holds a secret (never stored then). */
  fingerprint: string | null;
  who: string;
}

/**
 * Fetched once per run context: the cache key (fingerprint) and the read (run) then describe
 * the same pages, and the API is asked once.
 */
export function fetched(ctx: RunContext<HttpSourceConfig>): Promise<Fetched> {
  let f = memo.get(ctx);
  if (!f) {
    f = fetchAll(ctx);
    memo.set(ctx, f);
  }
  return f;
}

const memo = new WeakMap<RunContext<HttpSourceConfig>, Promise<Fetched>>();

interface Landed {
  inputs: InputObject[];
  count: number;
  tainted: boolean;
}

async function fetchAll(ctx: RunContext<HttpSourceConfig>): Promise<Fetched> {
  const dir = join(ctx.scratchDir, 'http-source');
  const file = join(dir, `${ctx.node.id}.ndjson`);
  const each = ctx.config.for_each;
  let total = 0;
  const progress = (n: number) => ctx.reportRows((total += n));
  const who = whoOf(ctx);
  const mark = await startMark(ctx, who);
  const tracker = ctx.config.watermark ? new MarkTracker(ctx.config.watermark, who, mark) : null;
  if (!each) {
    const plan = requestPlan(ctx, undefined, mark);
    const landed = await guarded(plan, () => land(ctx, plan, new NdjsonWriter(file), progress, tracker));
    proposeMark(ctx, tracker, [landed]);
    return finish(file, [landed], plan.who);
  }
  const values = await inputValues(ctx, who);
  const parts = values.map((_, i) => join(dir, ctx.node.id, `${i}.ndjson`));
  const landed = await mapLimit(values, each.max_parallel, async (value, i) => {
    const plan = requestPlan(ctx, value, mark);
    return guarded(plan, () => land(ctx, plan, new NdjsonWriter(parts[i]!), progress, tracker, { column: each.as ?? each.column, value }));
  });
  proposeMark(ctx, tracker, landed);
  // One file in the order of the values, so equal answers land equal tables.
  await mkdir(dir, { recursive: true });
  const out = createWriteStream(file);
  for (const [i, l] of landed.entries()) if (l.count) await pipeline(createReadStream(parts[i]!), out, { end: false });
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return finish(file, landed, who);
}

/** The watermark to send: the kept one (for this field and parameter), else `initial`, else none. */
async function startMark(ctx: RunContext<HttpSourceConfig>, who: string): Promise<MarkValue | null> {
  const w = ctx.config.watermark;
  if (!w) return null;
  const kept = ctx.state ? keptMark(await ctx.state.read(), w, who, `of node "${ctx.node.name}" in .weir/state/`) : null;
  return kept ?? w.initial ?? null;
}

/** The next watermark: kept by the run only if it succeeds whole (run/source-state.ts). */
function proposeMark(ctx: RunContext<HttpSourceConfig>, tracker: MarkTracker | null, landed: Landed[]): void {
  const w = ctx.config.watermark;
  if (!w || !tracker || tracker.value === null) return;
  // Records that hold a secret: their largest value may be one, and .weir/state/ holds no secret.
  if (landed.some((l) => l.tainted)) {
    ctx.warn(`the API answered a secret in its records: the watermark was not kept (the next run asks from the same value again)`);
    return;
  }
  ctx.state?.propose({ scope: markScope(w), value: tracker.value });
}

function finish(file: string, landed: Landed[], who: string): Fetched {
  const inputs = landed.flatMap((l) => l.inputs);
  const count = landed.reduce((n, l) => n + l.count, 0);
  const tainted = landed.some((l) => l.tainted);
  const fingerprint = tainted ? null : canonicalJson(inputs.map((i) => [i.uri, i.sha256]));
  return { file: count ? file : null, count, inputs, fingerprint, who };
}

/** Whatever failed, its message reaches the run record, the audit log and OpenLineage: a secret the request was built from is masked in it. */
async function guarded<T>(plan: RequestPlan, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof Error) e.message = plan.secrets.redact(e.message);
    throw e;
  }
}

/** One request's pages (with their pagination) into `out`; `added`: the for_each value, as a column of every record. */
async function land(
  ctx: RunContext<HttpSourceConfig>,
  plan: RequestPlan,
  out: NdjsonWriter,
  progress: (n: number) => void,
  tracker: MarkTracker | null,
  added?: { column: string; value: InputValue },
): Promise<Landed> {
  const inputs: InputObject[] = [];
  let tainted = false;
  const get = await pageGetter(ctx, plan);
  try {
    for await (const page of fetchPages({
      url: plan.url,
      pagination: ctx.config.pagination,
      recordsPath: ctx.config.records_path,
      maxPages: ctx.config.max_pages,
      secrets: plan.secrets,
      who: plan.who,
      get,
    })) {
      tracker?.see(page.records);
      const records = added ? page.records.map((r) => withColumn(r, added.column, added.value)) : page.records;
      // An API that answers a secret in its records: this result is not stored in the node cache.
      if (!tainted && records.length && plan.secrets.holdsSecret(JSON.stringify(records))) tainted = true;
      await out.write(records);
      progress(records.length);
      const etag = page.etag && !plan.secrets.holdsSecret(page.etag) ? page.etag : undefined;
      inputs.push({
        uri: page.url,
        size: page.bytes.length,
        ...(etag ? { etag } : {}),
        sha256: createHash('sha256').update(page.bytes).digest('hex'),
        ...(page.cacheHit ? { cacheHit: true } : {}),
      });
    }
  } finally {
    await out.close();
  }
  return { inputs, count: out.count, tainted };
}

function withColumn(record: unknown, column: string, value: InputValue): unknown {
  const base = record !== null && typeof record === 'object' && !Array.isArray(record) ? record : { value: record };
  return { ...base, [column]: value };
}

/**
 * How one page is asked for: through the page cache when the run uses the cache. A page kept
 * less than `cache_for` ago is reused as it is; one kept with an ETag or Last-Modified is
 * asked for conditionally and reused on 304; otherwise it is fetched, and kept when it can
 * be asked for conditionally next time (or `cache_for` is set) and holds no secret.
 */
async function pageGetter(ctx: RunContext<HttpSourceConfig>, plan: RequestPlan): Promise<PageGetter> {
  const c = ctx.config;
  const cacheFor = c.cache_for ? (durationMs(c.cache_for) ?? 0) : 0;
  const cache =
    ctx.useCache === false ? null : await PageCache.open(httpCacheDir(ctx.workspace, ctx.engine.settings), { environment: ctx.environment ?? '', ...plan.credentials });
  const now = () => ctx.engine.now().getTime();
  const parse = (body: Buffer): unknown => (body.length ? JSON.parse(body.toString('utf8')) : null);
  const kept = (body: Buffer, link: string | undefined, etag: string | undefined): PageAnswer => ({
    json: parse(body),
    bytes: body,
    headers: new Headers(link ? { link } : {}),
    cacheHit: true,
    ...(etag ? { etag } : {}),
  });

  return async (url, shownUrl, what) => {
    const key = cache?.keyOf(c.method, url, plan.body);
    const old = cache && key ? await cache.get(key) : null;
    if (old && cacheFor && now() - old.meta.fetchedAt < cacheFor) return kept(old.body, old.meta.link, old.meta.etag);
    const validators = old && (old.meta.etag || old.meta.lastModified) ? { ...(old.meta.etag ? { etag: old.meta.etag } : {}), ...(old.meta.lastModified ? { lastModified: old.meta.lastModified } : {}) } : undefined;
    const res = await requestJson({
      method: c.method,
      url,
      shownUrl,
      what,
      scope: plan.scope,
      ...(plan.body !== undefined ? { body: plan.body } : {}),
      ...(validators ? { conditional: validators } : {}),
      timeoutMs: c.timeout_seconds * 1000,
      maxBytes: c.max_response_mb * 1024 * 1024,
      retries: c.retries,
      signal: ctx.signal,
      who: plan.who,
      onRetry: (why, attempt, delay) => ctx.warn(`${plan.who}: ${plan.secrets.redact(why)}, retry ${attempt} of ${c.retries} in ${delay} ms`, 'retry'),
    });
    if (res.status === 304 && old) {
      // Still current: counted from now for cache_for.
      if (cacheFor && cache) await cache.put({ ...old.meta, fetchedAt: now() }, old.body);
      return kept(old.body, old.meta.link, old.meta.etag);
    }
    const etag = res.headers.get('etag') ?? undefined;
    const lastModified = res.headers.get('last-modified') ?? undefined;
    const link = res.headers.get('link') ?? undefined;
    if (cache && key && (etag || lastModified || cacheFor)) {
      // Nothing that holds a secret is written to the cache folder.
      const texts = [res.bytes.toString('utf8'), etag ?? '', lastModified ?? '', link ?? ''];
      if (!texts.some((t) => plan.secrets.holdsSecret(t))) {
        await cache.put({ key, fetchedAt: now(), ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}), ...(link ? { link } : {}) }, res.bytes);
      }
    }
    return { json: res.json, bytes: res.bytes, headers: res.headers, cacheHit: false, ...(etag ? { etag } : {}) };
  };
}
