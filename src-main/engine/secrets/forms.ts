/** Shorter values are not masked: replacing "1" or "on" everywhere would garble every message. */
export const MIN_SECRET_LENGTH = 3;

export const MASK = '***';

/** A text that may appear where a secret was used, and what replaces it there. */
export type Form = readonly [text: string, replacement: string];

const encoders: ((v: string) => string)[] = [
  encodeURIComponent,
  encodeURI,
  // application/x-www-form-urlencoded: spaces as "+".
  (v) => new URLSearchParams([['', v]]).toString().slice(1),
  // As the URL parser itself writes it in a path segment or a query (it leaves more characters as they are).
  (v) => (/[/?#\\]/.test(v) ? v : new URL(`http://h/${v}`).pathname.slice(1)),
  (v) => (/[#]/.test(v) ? v : new URL(`http://h/?${v}`).search.slice(1)),
  // Inside a JSON string (a record, an event line, an API's echoed body).
  (v) => JSON.stringify(v).slice(1, -1),
  // Inside HTML text or an attribute (the check report's escaping).
  (v) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
  // Base64 (Basic auth, tokens passed on encoded): without padding, which depends on what follows.
  (v) => Buffer.from(v, 'utf8').toString('base64').replace(/=+$/, ''),
  (v) => Buffer.from(v, 'utf8').toString('base64url'),
];

/** Every way `value` itself may be written out: as is, percent-, form-, JSON-, HTML-escaped, base64. */
export function plainForms(value: string): string[] {
  const forms = new Set([value]);
  for (const encode of encoders) {
    try {
      forms.add(encode(value));
    } catch {
      // A lone surrogate cannot be encoded; it cannot appear encoded either.
    }
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** Authorization schemes whose credential part is worth masking on its own. */
const AUTH_SCHEME = /^(bearer|basic|token|digest|apikey|api-key|key)\s+(\S.*)$/i;

/**
 * The forms of a resolved value and what replaces each. Every resolved value is a secret and
 * is masked whole. A value that is a URL is also masked by its parts, since a URL is taken
 * apart and rebuilt on its way out (page URLs, OpenLineage dataset names): user info, query
 * values, fragment, and path segments that are more than a plain word. Its origin (scheme,
 * host, port) stays visible: it is no credential (every DNS lookup and TLS handshake sends it
 * in clear) and without it no message could say which server failed.
 */
export function formsOf(value: string): Form[] {
  const out: Form[] = [];
  const url = parseUrl(value);
  if (url) {
    // Only an origin (an S3 endpoint, say): nothing in it is a credential.
    if (isOriginOnly(url)) return [];
    out.push(...urlForms(value, url));
  }
  for (const f of plainForms(value)) out.push([f, MASK]);
  const auth = AUTH_SCHEME.exec(value.trim());
  if (auth) {
    const credential = auth[2]!;
    for (const f of plainForms(credential)) out.push([f, MASK]);
    if (auth[1]!.toLowerCase() === 'basic') for (const part of basicParts(credential)) for (const f of plainForms(part)) out.push([f, MASK]);
  }
  return out;
}

function parseUrl(value: string): URL | null {
  const v = value.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]/i.test(v) || /\s/.test(v)) return null;
  try {
    return new URL(v);
  } catch {
    return null;
  }
}

/** `user:password` from a Basic credential, and the password alone. */
function basicParts(b64: string): string[] {
  const decoded = Buffer.from(b64, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || Buffer.from(decoded, 'utf8').toString('base64').replace(/=+$/, '') !== b64.replace(/=+$/, '')) return [];
  return [decoded, decoded.slice(colon + 1)];
}

/** A path segment that is a plain word (`api`, `lineage`) is no token; one with a digit or a symbol, or a long one, may be. */
function isPlainWord(segment: string): boolean {
  return /^[A-Za-z._-]+$/.test(segment) && segment.length < 16;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function isOriginOnly(url: URL): boolean {
  return url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
}

function urlForms(value: string, url: URL): Form[] {
  const origin = `${url.protocol}//${url.host}`;
  const parts: string[] = [];
  const user = decode(url.username);
  const password = decode(url.password);
  parts.push(user, password, decode(url.hash.slice(1)));
  for (const v of url.searchParams.values()) parts.push(v);
  for (const s of url.pathname.split('/')) {
    const seg = decode(s);
    if (seg && !isPlainWord(seg)) parts.push(seg);
  }
  const out: Form[] = [];
  if (user || password) out.push(...plainForms(`${user}:${password}`).map((f): Form => [f, MASK]));
  for (const p of parts) if (p) out.push(...plainForms(p).map((f): Form => [f, MASK]));
  const bare = new URL(url);
  bare.username = '';
  bare.password = '';
  // The whole URL (as given, as the parser writes it, without user info) keeps its origin, so
  // `https://api.example/k/TOKEN/items` reads `https://api.example/***/items`.
  const whole = [...new Set([value.trim(), url.href, bare.href])];
  return [...whole.map((w): Form => [w, `${origin}/${MASK}${w.endsWith('/') ? '/' : ''}`]), ...out];
}
