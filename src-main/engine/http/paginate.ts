import { WeirError } from '../../../shared/errors';
import type { HttpPagination } from '../../../shared/nodes/http-source';
import { parseJsonPath, valueAt } from './json-path';
import { nextLink } from './link-header';
import type { SecretValues } from './redact';
import { requestJson, type JsonRequest } from './request';

export interface PagedRequest extends Omit<JsonRequest, 'url' | 'shownUrl' | 'what'> {
  url: URL;
  pagination: HttpPagination;
  recordsPath: string;
  maxPages: number;
  /** The secret values the request was built from: masked wherever a URL or message is shown. */
  secrets: SecretValues;
}

export interface Page {
  url: string;
  records: unknown[];
  bytes: Buffer;
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

/**
 * The pages of a paginated JSON API, one request at a time, each retried on its own.
 * Stops when the pagination says there is no next page; fails past `maxPages`. A next page
 * named by the API (`next_url`, Link) at another origin goes through the credential scope
 * like a redirect: refused, or asked without credentials.
 */
export async function* fetchPages(r: PagedRequest): AsyncGenerator<Page> {
  const steps = parseJsonPath(r.recordsPath);
  const p = r.pagination;
  // Parsed once: the same path is read on every page.
  const cursorSteps = p.type === 'cursor' ? parseJsonPath(p.cursor_path) : [];
  const nextUrlSteps = p.type === 'next_url' ? parseJsonPath(p.next_url_path) : [];
  let url = new URL(r.url);
  let pageNo = p.type === 'page' ? p.start : 0;
  let offset = 0;
  const seenCursors = new Set<string>();
  if (p.type === 'page') {
    url.searchParams.set(p.param, String(pageNo));
    if (p.size_param && p.size) url.searchParams.set(p.size_param, String(p.size));
  }
  if (p.type === 'offset') {
    url.searchParams.set(p.param, '0');
    url.searchParams.set(p.limit_param, String(p.limit));
  }
  for (let n = 0; ; n++) {
    if (n >= r.maxPages) {
      throw new WeirError('node', `${r.who}: more than ${r.maxPages} pages from ${r.secrets.showUrl(r.url)}; raise max_pages if that is expected`);
    }
    const shownUrl = r.secrets.showUrl(url);
    const res = await requestJson({ ...r, url, shownUrl, what: n === 0 ? 'the request' : `the next page ${shownUrl}` });
    const records = recordsOf(res.json, r.recordsPath, steps, n === 0, r.who, shownUrl);
    yield { url: shownUrl, records, bytes: res.bytes };

    let next: URL | null = null;
    switch (p.type) {
      case 'none':
        break;
      case 'page':
        if (records.length && !(p.size && records.length < p.size)) {
          next = new URL(url);
          next.searchParams.set(p.param, String(++pageNo));
        }
        break;
      case 'offset':
        if (records.length >= p.limit) {
          offset += records.length;
          next = new URL(url);
          next.searchParams.set(p.param, String(offset));
        }
        break;
      case 'cursor': {
        const c = valueAt(res.json, cursorSteps);
        if (c !== undefined && c !== null && c !== '' && c !== false) {
          const cursor = String(c);
          if (seenCursors.has(cursor)) throw new WeirError('node', `${r.who}: the API returned cursor "${cursor}" twice; stopping to avoid an endless loop`);
          seenCursors.add(cursor);
          next = new URL(url);
          next.searchParams.set(p.param, cursor);
        }
        break;
      }
      case 'next_url': {
        const u = valueAt(res.json, nextUrlSteps);
        if (typeof u === 'string' && u) next = new URL(u, url);
        break;
      }
      case 'link_header': {
        const u = nextLink(res.headers.get('link'));
        if (u) next = new URL(u, url);
        break;
      }
    }
    if (!next) return;
    url = next;
  }
}
