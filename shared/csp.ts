/**
 * The designer's Content-Security-Policy, one list for its three deliveries: the built page's
 * meta tag (a page loaded from file:// gets no HTTP headers), the desktop window's session,
 * and the browser shell's HTTP header. They differ only in where the page may connect and in
 * `frame-ancestors`, which browsers ignore in a meta tag.
 */
export function contentSecurityPolicy(opts: { connect: readonly string[]; frameAncestors: boolean }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Monaco and React Flow set styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    ["connect-src 'self'", ...opts.connect].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    ...(opts.frameAncestors ? ["frame-ancestors 'none'"] : []),
  ].join('; ');
}
