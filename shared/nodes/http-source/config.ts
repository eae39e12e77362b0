import { z } from 'zod';
import { identifier } from '../common';

const paramName = z.string().min(1);

/** Where credentials may go when an API points elsewhere: see `cross_origin` below. */
export const crossOrigin = z.enum(['refuse', 'without_credentials']);

export const httpPagination = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  /** `?page=1`, `?page=2`, ... until a page has no records (or fewer than `size`). */
  z.strictObject({
    type: z.literal('page'),
    param: paramName.default('page'),
    start: z.number().int().default(1),
    size_param: paramName.optional(),
    size: z.number().int().positive().optional(),
  }),
  /** `?offset=0&limit=100`, `?offset=100&limit=100`, ... until a page is short. */
  z.strictObject({
    type: z.literal('offset'),
    param: paramName.default('offset'),
    limit_param: paramName.default('limit'),
    limit: z.number().int().positive().default(100),
  }),
  /** The response names the next cursor (`cursor_path`); it is sent as `?cursor=...` until absent. */
  z.strictObject({ type: z.literal('cursor'), param: paramName.default('cursor'), cursor_path: z.string().min(1) }),
  /** The response holds the next page's URL (`next_url_path`), absolute or relative. */
  z.strictObject({ type: z.literal('next_url'), next_url_path: z.string().min(1) }),
  /** RFC 8288 `Link: <...>; rel="next"` headers (GitHub, many REST APIs). */
  z.strictObject({ type: z.literal('link_header') }),
]);
export type HttpPagination = z.infer<typeof httpPagination>;

export const httpSourceConfig = z
  .strictObject({
    /** An http connection (base_url and headers, secrets as `${env:NAME}`); or give an absolute `url`. */
    connection: identifier.optional(),
    /** Absolute, or a path joined to the connection's base_url. May hold `${env:NAME}`. */
    url: z.string().default(''),
    method: z.enum(['GET', 'POST']).default('GET'),
    /** Added to the connection's headers; values may be `${env:NAME}` (never a secret itself). */
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
    /** Column name → DuckDB type. Fixes the table's shape (and gives an empty table when there are no records). */
    columns: z.record(z.string(), z.string().regex(/^[A-Za-z][A-Za-z0-9_ ,()[\]]*$/, 'expected a DuckDB type such as VARCHAR or DECIMAL(10,2)')).optional(),
  })
  .refine((c) => c.connection !== undefined || /^https?:\/\//i.test(c.url), {
    message: 'expected a connection or an absolute http(s) url',
    path: ['url'],
  });
export type HttpSourceConfig = z.infer<typeof httpSourceConfig>;
