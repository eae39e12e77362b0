/**
 * What an assistant is never shown: credentials written into text. Every tool result and error
 * of `weir mcp` passes through here last (after the process's own mask of every value a run,
 * preview or connection resolved). Pure: the patterns only, so a test can aim at each.
 */

/** `scheme://user:password@host` and `scheme://token@host`: the user-info part of a URL. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'\\]+@/gi;

/**
 * `password=...`, `secret: ...`, `api_key=...` and the like in connection strings, query
 * strings and messages; the value stops at a separator or a quote, so JSON stays JSON. A bare
 * `token` counts only with `=` (a query string): "unexpected token: SELECT" is DuckDB's words.
 */
const KEY_VALUE = /(?<![A-Za-z0-9])((?:password|passwd|pwd|secret|secret_?access_?key|access_?token|auth_?token|api_?key|apikey)\s*[=:]\s*|token=)(?!\*\*\*)[^\s&;,"'\\}]+/gi;

/** `Authorization: Bearer abc`, `Basic abc`. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** `text` with credentials replaced by `***`. */
export function redactCredentials(text: string): string {
  return text.replace(URL_USERINFO, '$1***@').replace(KEY_VALUE, '$1***').replace(AUTH_SCHEME, '$1 ***');
}
