/**
 * Quoting for generated code: every text from a pipeline file lands in a generated module or
 * manifest as one string literal, escaped so that it can never end the literal, the line or
 * the document (a hostile pipeline name must not become Python or YAML).
 */

/** A Python string literal, ASCII only: `"` and `\` escaped, every other non-printable or non-ASCII character as \x, \u or \U. */
export function pyString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c <= 0xff) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c <= 0xffff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * A YAML double-quoted scalar, ASCII only. YAML's escapes are JSON's plus \x, \U; a lone
 * surrogate (which YAML cannot carry) becomes U+FFFD.
 */
export function yamlString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (c <= 0xffff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** A name made of `[A-Za-z0-9_]` (Dagster's names): other characters become `_`; never empty. */
export function plainName(text: string, fallback: string): string {
  const s = text.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60);
  return s || fallback;
}

/** A Kubernetes object name (RFC 1123 label): lowercase letters, digits, `-`; at most `max` long. */
export function dnsName(text: string, max: number): string {
  const s = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+/, '').slice(0, max).replace(/-+$/, '');
  return s || 'pipeline';
}

/** A value in a container's command or args: Kubernetes expands `$(NAME)` there, `$$` keeps a `$`. */
export function k8sArg(text: string): string {
  return text.replace(/\$/g, '$$$$');
}
