import { WeirError } from '../../../shared/errors';
import type { HttpPagination } from '../../../shared/nodes/http-source';
import { parseJsonPath, valueAt } from './json-path';
import { KeysetPager } from './keyset';
import { nextLink } from './link-header';
import { quoted } from './watermark';
import type { SecretValues } from './redact';

/** One page as the API answered it, or as it was kept from before (http/page-cache.ts). */
export interface PageAnswer {
  json: unknown;
  bytes: Buffer;
  headers: Headers;
  /** The page came from the page cache (a 304, or within `cache_for`). */
  cacheHit: boolean;
  etag?: string;
}

/** Asks for one page; `what` names it in a refusal ("the request", "the next page ..."). */
export type PageGetter = (url: URL, shownUrl: string, what: string) => Promise<PageAnswer>;

export interface PagedRequest {
  url: URL;
  pagination: HttpPagination;
  recordsPath: string;
  maxPages: number;
  /** The secret values the request was built from: masked wherever a URL or message is shown. */
  secrets: SecretValues;
  who: string;
  get: PageGetter;
}

export interface Page {
  url: string;
  /** The records the page adds (a keyset page without the boundary records read before). */
  records: unknown[];
  bytes: Buffer;
  cacheHit: boolean;
  etag?: string;
}

function recordsOf(json: unknown, path: string, steps: (string | number)[], first: boolean, who: string, shown: string): unknown[] {
  const value = steps.length ? valueAt(json, steps) : json;
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) {
    // Some APIs drop the field on the last (empty) page; on the first page it is a mistake.
    if (first) throw new WeirError('node', `${who}: records_path "${path}" is not in the response of ${shown}`);
    return [];
  }
  return [value];
}

/** The declared page size of a paginator, and the parameter that asks for it. */
function declaredSize(p: HttpPagination): { size: number; param: string | undefined } | null {
  if (p.type === 'offset') return { size: p.limit, param: p.limit_param };
  if (p.type === 'none' || p.size === undefined) return null;
  return { size: p.size, param: p.size_param };
}

/**
 * The pages of a paginated JSON API, one request at a time, each retried on its own.
 * Stops when the pagination says there is no next page; fails past `maxPages`, on a page with
 * more records than the declared page size, and where the next page cannot be told from a page
 * that may not be the last (an unreadable cursor or next URL): never ends the data early in
 * silence. A next page named by the API (`next_url`, Link) at another origin goes through the
 * credential scope like a redirect: refused, or asked without credentials.
 */
export async function* fetchPages(r: PagedRequest): AsyncGenerator<Page> {
  const steps = parseJsonPath(r.recordsPath);
  const p = r.pagination;
  // Parsed once: the same path is read on every page.
  const cursorSteps = p.type === 'cursor' ? parseJsonPath(p.cursor_path) : [];
  const nextUrlSteps = p.type === 'next_url' ? parseJsonPath(p.next_url_path) : [];
  const keyset = p.type === 'keyset' ? new KeysetPager(p, r.who) : null;
  const sized = declaredSize(p);
  let url = new URL(r.url);
  let pageNo = p.type === 'page' ? p.start : 0;
  let offset = 0;
  const seenCursors = new Set<string>();
  if (p.type === 'page') url.searchParams.set(p.param, String(pageNo));
  if (p.type === 'offset') url.searchParams.set(p.param, '0');
  if (sized?.param) url.searchParams.set(sized.param, String(sized.size));

  for (let n = 0; ; n++) {
    if (n >= r.maxPages) {
      throw new WeirError('node', `${r.who}: more than ${r.maxPages} pages from ${r.secrets.showUrl(r.url)}; raise max_pages if that is expected`);
    }
    const shownUrl = r.secrets.showUrl(url);
    const res = await r.get(url, shownUrl, n === 0 ? 'the request' : `the next page ${shownUrl}`);
    const all = recordsOf(res.json, r.recordsPath, steps, n === 0, r.who, shownUrl);
    if (sized && all.length > sized.size) {
      const why = sized.param ? `the API does not take "${sized.param}" (or caps it differently)` : 'the declared size is not the API\'s';
      throw new WeirError('node', `${r.who}: ${shownUrl} answered ${all.length} records, more than the page size ${sized.size}: ${why}`);
    }
    const records = keyset ? keyset.fresh(all, shownUrl) : all;
    yield { url: shownUrl, records, bytes: res.bytes, cacheHit: res.cacheHit, ...(res.etag ? { etag: res.etag } : {}) };

    // A page that may be followed by others: not empty, and not shorter than a declared size.
    const mayGoOn = all.length > 0 && !(sized && all.length < sized.size);
    const unreadable = (what: string): WeirError =>
      new WeirError(
        'node',
        `${r.who}: ${what} is not in the response of ${shownUrl}, a ${sized ? 'full ' : ''}page of ${all.length} records, so where the data goes on is unknown` +
          (sized ? '' : ' (if the API leaves it out of its last page, declare the page size as "size": a shorter page then ends the data)'),
      );
    let next: URL | null = null;
    switch (p.type) {
      case 'none':
        break;
      case 'page':
        if (mayGoOn) {
          next = new URL(url);
          next.searchParams.set(p.param, String(++pageNo));
        }
        break;
      case 'offset':
        if (mayGoOn) {
          offset += all.length;
          next = new URL(url);
          next.searchParams.set(p.param, String(offset));
        }
        break;
      case 'cursor': {
        const c = valueAt(res.json, cursorSteps);
        if (c === undefined) {
          if (mayGoOn) throw unreadable(`cursor_path "${p.cursor_path}"`);
        } else if (c !== null && c !== '' && c !== false) {
          if (typeof c !== 'string' && typeof c !== 'number') throw new WeirError('node', `${r.who}: cursor_path "${p.cursor_path}" of ${shownUrl} is not a string or a number`);
          const cursor = String(c);
          if (seenCursors.has(cursor)) throw new WeirError('node', `${r.who}: the API returned cursor ${quoted(cursor)} twice; stopping to avoid an endless loop`);
          seenCursors.add(cursor);
          next = new URL(url);
          next.searchParams.set(p.param, cursor);
        }
        break;
      }
      case 'next_url': {
        const u = valueAt(res.json, nextUrlSteps);
        if (u === undefined) {
          if (mayGoOn) throw unreadable(`next_url_path "${p.next_url_path}"`);
        } else if (typeof u === 'string' && u) next = new URL(u, url);
        else if (u !== null && u !== '') throw new WeirError('node', `${r.who}: next_url_path "${p.next_url_path}" of ${shownUrl} is not a URL`);
        break;
      }
      case 'link_header': {
        const u = nextLink(res.headers.get('link'));
        if (u) next = new URL(u, url);
        break;
      }
      case 'keyset': {
        const value = keyset!.next(all, shownUrl);
        if (value !== null) {
          next = new URL(url);
          next.searchParams.set(p.param, String(value));
        }
        break;
      }
    }
    if (!next) return;
    url = next;
  }
}
