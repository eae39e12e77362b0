import { createHash } from 'node:crypto';
import { startHttpServer, type HttpReply, type SeenRequest, type TestHttpServer } from './http-server';

/** One continuous glucose reading, shaped as Nightscout's `/api/v1/entries` answers it. */
export interface Entry {
  _id: string;
  type: 'sgv';
  /** Milliseconds since the epoch: what `find[date][...]` compares. */
  date: number;
  dateString: string;
  sgv: number;
  direction: string;
  device: string;
}

export const DEVICES = ['xdrip-a', 'xdrip-b', 'dexcom-g7'] as const;
const DIRECTIONS = ['Flat', 'FortyFiveUp', 'FortyFiveDown', 'SingleUp', 'SingleDown'];
/** 2026-01-01T00:00:00Z */
export const T0 = Date.UTC(2026, 0, 1);

/**
 * `n` readings every 5 minutes from T0, three at a time sharing one timestamp (three uploaders
 * reporting the same instant): any page size that is not a multiple of 3 ends a page inside a
 * group, where a strict `$lt` would skip the rest of the group.
 */
export function nightscoutEntries(n: number): Entry[] {
  return Array.from({ length: n }, (_, i) => {
    const date = T0 + Math.floor(i / 3) * 300_000;
    return {
      _id: `e${String(i).padStart(6, '0')}`,
      type: 'sgv',
      date,
      dateString: new Date(date).toISOString(),
      sgv: 60 + ((i * 37) % 190),
      direction: DIRECTIONS[i % DIRECTIONS.length]!,
      device: DEVICES[i % 3]!,
    };
  });
}

export interface NightscoutOptions {
  /** The API_SECRET; requests must send its SHA-1 (hex) in the `api-secret` header. */
  secret: string;
  entries: Entry[];
  /** Every so many requests answers 503, as a busy Nightscout behind a proxy does (0: never). */
  failEvery?: number;
  /** Send ETag or Last-Modified and answer conditional requests with 304. */
  validators?: 'etag' | 'last-modified' | 'none';
  /** Hold every answer this long (to see requests in flight at once). */
  delayMs?: number;
}

export interface NightscoutServer extends TestHttpServer {
  /** `<url>/api/v1`: what a connection's base_url points at. */
  base: string;
  entries: Entry[];
  /** The status of every answer, in order (with seen: what was asked and answered). */
  statuses: number[];
  /** The most requests in flight at once. */
  maxInFlight: number;
  /** Forgets what was asked (seen, statuses, maxInFlight), keeps the data. */
  reset(): void;
}

const sha1 = (t: string) => createHash('sha1').update(t).digest('hex');

type Op = '$lt' | '$lte' | '$gt' | '$gte';
const compare = (op: Op, a: number | string, b: number | string) => (op === '$lt' ? a < b : op === '$lte' ? a <= b : op === '$gt' ? a > b : a >= b);

/** The entries a query asks for: `find[date][$op]`, `find[dateString][$op]`, `find[device]`, newest first, `count` of them (default 10). */
function answer(entries: readonly Entry[], q: URLSearchParams): Entry[] {
  let out = [...entries];
  for (const [k, v] of q) {
    const m = /^find\[(date|dateString)\]\[(\$lte?|\$gte?)\]$/.exec(k);
    if (m) {
      const field = m[1] as 'date' | 'dateString';
      const bound = field === 'date' ? Number(v) : v;
      out = out.filter((e) => compare(m[2] as Op, e[field], bound));
    } else if (k === 'find[device]') out = out.filter((e) => e.device === v);
  }
  out.sort((a, b) => b.date - a.date || (a._id < b._id ? 1 : -1));
  return out.slice(0, Number(q.get('count') ?? 10));
}

/**
 * A Nightscout-like API on 127.0.0.1: `GET /api/v1/entries(.json)` answers a bare JSON array of
 * entries, newest first, filtered and counted as Nightscout's v1 API does; it wants the SHA-1
 * of the secret in `api-secret` (401 otherwise) and answers 503 every `failEvery` requests.
 */
export async function startNightscout(o: NightscoutOptions): Promise<NightscoutServer> {
  const want = sha1(o.secret);
  let n = 0;
  let inFlight = 0;
  const statuses: number[] = [];
  const state = { maxInFlight: 0 };
  const handle = async (req: SeenRequest): Promise<HttpReply> => {
    n++;
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    try {
      if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
      if (o.failEvery && n % o.failEvery === 0) return { status: 503, body: 'Service Unavailable' };
      if (req.headers['api-secret'] !== want) return { status: 401, body: { status: 401, message: 'Unauthorized', description: 'Invalid/Missing' } };
      if (!/^\/api\/v1\/entries(\.json)?$/.test(req.url.pathname)) return { status: 404, body: { status: 404 } };
      const page = answer(server.entries, req.url.searchParams);
      const text = JSON.stringify(page);
      const headers: Record<string, string> = {};
      if (o.validators === 'etag') {
        const etag = `W/"${sha1(text).slice(0, 16)}"`;
        headers.etag = etag;
        if (req.headers['if-none-match'] === etag) return { status: 304, headers, body: '' };
      }
      if (o.validators === 'last-modified') {
        const newest = page.reduce((m, e) => Math.max(m, e.date), 0);
        headers['last-modified'] = new Date(newest).toUTCString();
        const since = req.headers['if-modified-since'];
        if (since && Date.parse(String(since)) >= Math.floor(newest / 1000) * 1000) return { status: 304, headers, body: '' };
      }
      return { status: 200, headers, body: text };
    } finally {
      inFlight--;
    }
  };
  const http = await startHttpServer(async (req) => {
    const reply = await handle(req);
    statuses.push(reply.status ?? 200);
    return reply;
  });
  const server: NightscoutServer = {
    ...http,
    base: `${http.url}/api/v1`,
    entries: o.entries,
    statuses,
    get maxInFlight() {
      return state.maxInFlight;
    },
    reset() {
      http.seen.splice(0);
      statuses.splice(0);
      state.maxInFlight = 0;
    },
  };
  return server;
}
