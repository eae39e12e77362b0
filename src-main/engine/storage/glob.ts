/**
 * Glob matching for object keys (which have no folders, only `/` in names), with the
 * syntax DuckDB and shells use: `*` within one segment, `**` across segments (zero or
 * more), `?` one character, `[abc]` / `[!abc]` classes, `{a,b}` alternatives.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches any number of whole segments, `**` at the end matches the rest.
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:[^/]*/)*';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else re += c.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  while (braces-- > 0) re += ')';
  return new RegExp(`^${re}$`);
}

export function globMatcher(glob: string): (path: string) => boolean {
  const re = globToRegExp(glob);
  return (path) => re.test(path);
}

/** A prefix as a folder: no leading `/`, and ending with `/` unless empty. */
export function normalizePrefix(prefix: string): string {
  const p = prefix.replace(/\\/g, '/').replace(/^\/+/, '').replace(/\/{2,}/g, '/');
  return p === '' || p.endsWith('/') ? p : `${p}/`;
}
