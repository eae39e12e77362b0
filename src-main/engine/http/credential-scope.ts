import { WeirError } from '../../../shared/errors';
import type { SecretValues } from './redact';

/** What to do with a next page or a redirect at another origin than the connection's. */
export type CrossOrigin = 'refuse' | 'without_credentials';

export interface Hop {
  url: URL;
  headers: Record<string, string>;
}

/**
 * Where a request's credentials may go: the origin (scheme, host, port) of the connection
 * they belong to, and nowhere else. The headers given here (the connection's and the node's,
 * Basic auth from user info) are all treated as credentials, whatever their name; secret
 * query values are those that came from `${env:...}` or hold a remembered value.
 *
 * A URL at another origin (a `next_url`, a Link header, a redirect, an absolute node url) is
 * refused, or asked without credentials, as `crossOrigin` says; a URL at another origin
 * that still holds a secret in its path is refused either way. Since the scheme is part of
 * the origin, an https connection's credentials never travel over plain http.
 */
export class CredentialScope {
  readonly origin: string;

  constructor(
    origin: URL,
    private readonly credentials: Record<string, string>,
    readonly crossOrigin: CrossOrigin,
    private readonly secrets: SecretValues,
    private readonly who: string,
  ) {
    this.origin = origin.origin;
  }

  /** The URL to ask and the headers to send to it; `what` names the request in a refusal ("the next page"). */
  hop(url: URL, what: string): Hop {
    if (url.origin === this.origin) return { url, headers: { ...this.credentials } };
    const there = url.origin === 'null' ? url.protocol : url.origin;
    const downgrade = this.origin.startsWith('https:') && url.protocol === 'http:' ? ' (and plain http, where the connection is https)' : '';
    if (this.crossOrigin === 'refuse') {
      throw new WeirError(
        'connection',
        `${this.who}: ${what} is at ${there}${downgrade}, another origin than ${this.origin}: refused, so the connection's credentials stay with it (set "cross_origin": "without_credentials" to follow it without them)`,
      );
    }
    const bare = new URL(url);
    bare.username = '';
    bare.password = '';
    const kept = [...bare.searchParams].filter(([name, value]) => !this.secrets.isSecretParam(name, value));
    bare.search = kept.length ? new URLSearchParams(kept).toString() : '';
    if (this.secrets.holdsSecret(bare.href)) {
      throw new WeirError('connection', `${this.who}: ${what} is at ${there}, another origin than ${this.origin}, and its URL holds a secret: refused`);
    }
    return { url: bare, headers: {} };
  }
}
