import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, URL-safe. */
const newSecret = () => randomBytes(32).toString('base64url');
/**
 * Secrets are kept and looked up by their hash: a lookup then takes the same time whatever
 * prefix of a real secret a guess shares, and the process holds no secret it would have to hand out.
 */
const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** A code printed after the first has this long to be used. */
export const REISSUED_CODE_TTL_MS = 10 * 60_000;
/** Unused printed codes beyond this many are not added to: asking again prints nothing new. */
const MAX_WAITING_CODES = 8;

/**
 * One-time launch codes. The code in the link `weir serve` prints (and in the file it hands
 * the browser opener) is good for one exchange against a session, then dead; so a link left
 * in the browser's history or seen by someone else afterwards opens nothing.
 */
export class LaunchCodes {
  /** digest → expiry time (null: the codes made at start, which wait for the user). */
  private readonly live = new Map<string, number | null>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(ttlMs: number | null = null): string {
    const code = newSecret();
    this.live.set(digest(code), ttlMs === null ? null : this.now() + ttlMs);
    return code;
  }

  /** True once for a live code; the code is dead afterwards, whatever the answer. */
  take(code: string): boolean {
    const key = digest(code);
    const expires = this.live.get(key);
    if (expires === undefined) return false;
    this.live.delete(key);
    return expires === null || expires > this.now();
  }

  /**
   * Another code, for a browser that arrives without a session (its link was used, or the
   * browser was restarted). Null while too many such codes wait unused: someone asking
   * repeatedly cannot fill the terminal, and never kills a code the user is about to open.
   */
  reissue(): string | null {
    const now = this.now();
    let waiting = 0;
    for (const [key, expires] of this.live) {
      if (expires === null) continue;
      if (expires <= now) this.live.delete(key);
      else waiting++;
    }
    return waiting >= MAX_WAITING_CODES ? null : this.issue(REISSUED_CODE_TTL_MS);
  }
}

/** The sessions a launch code was exchanged for, one per browser, until the server stops. */
export class Sessions {
  private readonly live = new Set<string>();

  create(): string {
    const token = newSecret();
    this.live.add(digest(token));
    return token;
  }

  has(token: string | null): boolean {
    return token !== null && token.length > 0 && this.live.has(digest(token));
  }
}

/**
 * The session cookie's name. Browsers send a cookie to every port of a host, so the port is
 * part of the name: two servers on one machine do not overwrite each other's session.
 */
export const sessionCookieName = (port: number) => `weir_session_${port}`;

/** HttpOnly: the page's scripts never see it. SameSite=Strict: no other site's page makes the browser send it. */
export function sessionCookie(port: number, token: string): string {
  return `${sessionCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The value of cookie `name` in a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
