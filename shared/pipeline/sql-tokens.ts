/**
 * A small DuckDB SQL tokenizer: enough to tell identifiers from string literals, comments,
 * quoted identifiers and dollar-quoted text. Joining every token's text gives back the input.
 */
export type SqlTokenKind = 'word' | 'quoted' | 'string' | 'comment' | 'number' | 'space' | 'punct' | 'param';

export interface SqlToken {
  kind: SqlTokenKind;
  text: string;
  start: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** `'…'` with doubled quotes; `E'…'` also honours backslash escapes. Unterminated runs to the end. */
function stringEnd(sql: string, open: number, backslashes: boolean): number {
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashes && c === '\\') i += 2;
    else if (c === "'") {
      if (sql[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function quotedEnd(sql: string, open: number): number {
  let i = open + 1;
  while (i < sql.length) {
    if (sql[i] === '"') {
      if (sql[i + 1] === '"') i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function blockCommentEnd(sql: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return sql.length;
}

export function tokenizeSql(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  let i = 0;
  const push = (kind: SqlTokenKind, end: number) => {
    out.push({ kind, text: sql.slice(i, end), start: i });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i] as string;
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j] as string)) j++;
      push('space', j);
    } else if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      push('comment', nl === -1 ? sql.length : nl);
    } else if (sql.startsWith('/*', i)) {
      push('comment', blockCommentEnd(sql, i));
    } else if (c === "'") {
      push('string', stringEnd(sql, i, false));
    } else if (c === '"') {
      push('quoted', quotedEnd(sql, i));
    } else if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (m) {
        const close = sql.indexOf(m[0], i + m[0].length);
        push('string', close === -1 ? sql.length : close + m[0].length);
      } else {
        let j = i + 1;
        while (j < sql.length && WORD_PART.test(sql[j] as string)) j++;
        push('param', j);
      }
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < sql.length && WORD_PART.test(sql[j] as string)) j++;
      // E'…', X'…', B'…' literals: the prefix belongs to the string.
      if (j === i + 1 && sql[j] === "'" && /[eExXbB]/.test(c)) push('string', stringEnd(sql, j, c === 'e' || c === 'E'));
      else push('word', j);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(?:\d[\d_]*)?(?:\.\d[\d_]*|\.)?(?:[eE][+-]?\d+)?/.exec(sql.slice(i));
      push('number', i + Math.max(1, m?.[0].length ?? 1));
    } else {
      push('punct', i + 1);
    }
  }
  return out;
}

/** An identifier token's name as DuckDB compares it: case-insensitive, even when quoted. */
export function identifierKey(t: SqlToken): string | null {
  if (t.kind === 'word') return t.text.toLowerCase();
  if (t.kind === 'quoted') return t.text.slice(1, t.text.endsWith('"') && t.text.length > 1 ? -1 : undefined).replace(/""/g, '"').toLowerCase();
  return null;
}
