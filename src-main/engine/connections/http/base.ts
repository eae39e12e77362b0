import type { z } from 'zod';
import type { ConnectionSpecOf } from '../../../../shared/connections/kinds';
import type { crossOriginPolicy } from '../../../../shared/connections/http';
import { WeirError } from '../../../../shared/errors';

export interface HttpBase {
  /** The connection's base URL, parsed: requests are built from it. */
  url: URL;
  /** The URL as it may be shown: no user info, no query (either may hold a key). */
  shown: string;
  headers: Readonly<Record<string, string>>;
  crossOrigin: z.infer<typeof crossOriginPolicy>;
}

/** An http connection's base, from its resolved spec; a base URL that is not an http(s) URL is refused in one line. */
export function httpBase(name: string, spec: ConnectionSpecOf<'http'>): HttpBase {
  let url: URL;
  try {
    url = new URL(spec.base_url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new WeirError('connection', `connection "${name}": bad base_url (expected a URL such as https://api.example/v1)`);
  }
  return { url, shown: `${url.protocol}//${url.host}${url.pathname}`, headers: { ...spec.headers }, crossOrigin: spec.cross_origin ?? 'refuse' };
}
