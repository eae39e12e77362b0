import { z } from 'zod';
import { identifier } from '../common';
import { badTemplate, templatedTexts, templateRefs } from './templates';

const paramName = z.string().min(1);

/** Where credentials may go when an API points elsewhere: see `cross_origin` below. */
export const crossOrigin = z.enum(['refuse', 'without_credentials']);

/**
 * The page size a paginator asks for (`size_param`, sent with the requests it builds) or that the
 * API uses. Declared, it is checked: a page with more records fails the node (the API ignores the
 * size asked), and a full page that does not say where the next one is fails it too, instead of
 * ending the data there.
 */
const pageSize = {
  size_param: paramName.optional(),
  size: z.number().int().positive().optional(),
};

/** A field of a record by name, or a path inside it (`date`, `meta.created`). */
const recordField = z.string().min(1);

export const httpPagination = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  /** `?page=1`, `?page=2`, ... until a page has no records (or fewer than `size`). */
  z.strictObject({
    type: z.literal('page'),
    param: paramName.default('page'),
    start: z.number().int().default(1),
    ...pageSize,
  }),
  /** `?offset=0&limit=100`, `?offset=100&limit=100`, ... until a page is short. */
  z.strictObject({
    type: z.literal('offset'),
    param: paramName.default('offset'),
    limit_param: paramName.default('limit'),
    limit: z.number().int().positive().default(100),
  }),
  /**
   * The response names the next cursor (`cursor_path`); it is sent as `?cursor=...` until the
   * API answers it null or empty. A cursor the path does not find on a page that may go on (one
   * with records, not shorter than `size`) is an error.
   */
  z.strictObject({ type: z.literal('cursor'), param: paramName.default('cursor'), cursor_path: z.string().min(1), ...pageSize }),
  /** The response holds the next page's URL (`next_url_path`), absolute or relative; null or empty at the end. */
  z.strictObject({ type: z.literal('next_url'), next_url_path: z.string().min(1), ...pageSize }),
  /** RFC 8288 `Link: <...>; rel="next"` headers (GitHub, many REST APIs). */
  z.strictObject({ type: z.literal('link_header'), ...pageSize }),
  /**
   * Keyset (seek) paging, as Nightscout and many device and LIMS APIs do it: the next request
   * asks for records beyond the last record's `field`, in query parameter `param`
   * (`find[date][$lte]`). `operator` says what the API does with it: `lte`/`gte` include the
   * boundary value (records that share it are asked again and de-duplicated by `key`), `lt`/`gt`
   * do not (records that share the boundary value across two pages are then lost: prefer the
   * inclusive form). Pages come in descending order of `field` for `lt`/`lte`, ascending for
   * `gt`/`gte`. It stops at an empty or short page; a full page that brings no new record fails.
   */
  z
    .strictObject({
      type: z.literal('keyset'),
      field: recordField,
      param: paramName,
      operator: z.enum(['lt', 'lte', 'gt', 'gte']),
      key: z.array(recordField).min(1).optional(),
      size_param: paramName,
      size: z.number().int().positive(),
    })
    .refine((p) => p.key !== undefined || p.operator === 'lt' || p.operator === 'gt', {
      message: 'an inclusive keyset (lte, gte) needs a key: the fields that identify a record, to drop the boundary records already read',
      path: ['key'],
    }),
]);
export type HttpPagination = z.infer<typeof httpPagination>;

/** `30s`, `15m`, `12h`, `7d`. */
const DURATION = /^(\d+)\s*(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration as `cache_for` takes it, in milliseconds; null when it is not one. */
export function durationMs(text: string): number | null {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : null;
}

/**
 * A dependent http source: one input node, whose `column` gives the values to ask for; each
 * distinct value is one request (with its own pagination), written `{{ input.<column> }}` in
 * the url, query, headers or body, and added to every record it brought as column `as`.
 */
export const httpForEach = z.strictObject({
  column: z.string().min(1),
  /** The column the value is added as (by default the input column's name); it replaces a record field of that name. */
  as: z.string().min(1).optional(),
  /** Requests in flight at once. */
  max_parallel: z.number().int().min(1).max(32).default(4),
  /** A guard: more distinct values than this fail the node. */
  max_values: z.number().int().positive().default(10_000),
});
export type HttpForEach = z.infer<typeof httpForEach>;

/**
 * An incremental cursor: each run asks only for records at or beyond the largest `field` the
 * last fully successful run read, sent in query parameter `param` (`find[dateString][$gte]`).
 * The first run sends `initial` (or no parameter without one). Kept per pipeline, node and
 * environment in `.weir/state/`, and advanced only after a run that succeeded whole.
 */
export const httpWatermark = z.strictObject({
  /** The record field (or path inside it, `meta.created`) whose largest value is kept: a date or an id. */
  field: recordField,
  /** The query parameter the kept value is sent in. */
  param: paramName,
  /** Sent when nothing is kept yet. */
  initial: z.union([z.string(), z.number()]).optional(),
});
export type HttpWatermark = z.infer<typeof httpWatermark>;

export const httpSourceConfig = z
  .strictObject({
    /** An http connection (base_url and headers, secrets as `${env:NAME}`); or give an absolute `url`. */
    connection: identifier.optional(),
    /** Absolute, or a path joined to the connection's base_url. May hold `${env:NAME}` and `{{ params.name }}`. */
    url: z.string().default(''),
    method: z.enum(['GET', 'POST']).default('GET'),
    /**
     * Added to the connection's headers; values may be `${env:NAME}` or a value derived from it
     * (`${sha1:env:NAME}`, see shared/connections/secret-refs.ts), never a secret itself.
     */
    headers: z.record(z.string(), z.string()).default({}),
    query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** JSON body for POST. */
    body: z.unknown().optional(),
    /** Where the records are in each response, e.g. `data.items` or `$.results`; empty for the whole response. */
    records_path: z.string().default(''),
    pagination: httpPagination.default({ type: 'none' }),
    /**
     * A next page (`next_url`, Link header) or a redirect at another origin than the connection's
     * (or the url's): `refuse` (the default) fails the node; `without_credentials` asks it with no
     * header and no secret query value. Unset: the connection's setting.
     */
    cross_origin: crossOrigin.optional(),
    /** A guard against endless paging: more pages than this fail the node. */
    max_pages: z.number().int().positive().default(1000),
    /** Retries on 429, 5xx, timeouts and dropped connections, with backoff (Retry-After honoured). */
    retries: z.number().int().min(0).max(10).default(4),
    timeout_seconds: z.number().positive().default(30),
    /**
     * The largest answer one request may bring, in MB: a page is read whole before it is parsed,
     * so an API (or a server a redirect leads to) answering without end would otherwise fill the
     * process's memory. 512 is JavaScript's own limit for the text of one answer.
     */
    max_response_mb: z.number().positive().max(512).default(256),
    /** One request per value of an input's column: see httpForEach. */
    for_each: httpForEach.optional(),
    /** Ask only for records beyond what the last successful run read: see httpWatermark. */
    watermark: httpWatermark.optional(),
    /**
     * Reuse pages fetched less than this long ago (`15m`, `12h`) without asking the API, for an
     * API that sends neither ETag nor Last-Modified (pages that do are asked again conditionally,
     * and reused on 304). Never across environments or credentials.
     */
    cache_for: z.string().refine((t) => durationMs(t) !== null, 'expected a duration such as 30s, 15m, 12h or 7d').optional(),
    /** Column name → DuckDB type. Fixes the table's shape (and gives an empty table when there are no records). */
    columns: z.record(z.string(), z.string().regex(/^[A-Za-z][A-Za-z0-9_ ,()[\]]*$/, 'expected a DuckDB type such as VARCHAR or DECIMAL(10,2)')).optional(),
  })
  .refine((c) => c.connection !== undefined || /^https?:\/\//i.test(c.url), {
    message: 'expected a connection or an absolute http(s) url',
    path: ['url'],
  })
  .superRefine((c, ctx) => {
    if (c.watermark && Object.hasOwn(c.query, c.watermark.param)) {
      ctx.addIssue({ code: 'custom', message: `query parameter "${c.watermark.param}" is the watermark's: remove it from query`, path: ['watermark', 'param'] });
    }
    for (const text of templatedTexts(c)) {
      const bad = badTemplate(text);
      if (bad) ctx.addIssue({ code: 'custom', message: `"${bad}" is not a template: expected {{ params.name }} or {{ input.column }}` });
      for (const r of templateRefs(text)) {
        if (r.scope !== 'input') continue;
        if (!c.for_each) ctx.addIssue({ code: 'custom', message: `{{ input.${r.name} }} needs for_each (one request per value of an input column)`, path: ['for_each'] });
        else if (r.name !== c.for_each.column) ctx.addIssue({ code: 'custom', message: `{{ input.${r.name} }} names another column than for_each.column "${c.for_each.column}"`, path: ['for_each', 'column'] });
      }
    }
  });
export type HttpSourceConfig = z.infer<typeof httpSourceConfig>;
