/**
 * What JSON.parse does not say about a file: where its first syntax error is (V8's message for
 * some errors has no position and quotes a slice of the file instead, which may be anything:
 * a binary file, an environment dump), and how deeply it nests (recursive code further on,
 * schema checks and serializers, must never meet a depth that overflows the stack).
 * Both are single iterative passes over the text.
 */

export interface JsonSyntaxError {
  /** UTF-16 offset of the first character that cannot be where it is. */
  offset: number;
  /** What was expected or found, naming at most one character of the text. */
  message: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

function charText(c: string): string {
  return JSON.stringify(c);
}

/** The first syntax error in `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const n = text.length;
  let i = 0;
  const stack: ('object' | 'array')[] = [];
  const fail = (message: string, at = i): JsonSyntaxError => ({ offset: at, message });
  const skipWs = () => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  const unexpected = (): JsonSyntaxError => (i >= n ? fail('unexpected end of the file') : fail(`unexpected character ${charText(text[i] as string)}`));
  // Reads a string starting at the quote at i; returns an error or null with i after it.
  const string = (): JsonSyntaxError | null => {
    const start = i++;
    for (;;) {
      if (i >= n) return fail('a string is not closed', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return fail('a control character inside a string (write it as an escape such as \\n)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('a bad \\u escape in a string');
          i += 6;
        } else if (e !== undefined && ESCAPES.has(e)) {
          i += 2;
        } else {
          return fail('a bad escape in a string');
        }
        continue;
      }
      i++;
    }
  };
  type State = 'value' | 'key' | 'after';
  let state: State = 'value';
  for (;;) {
    skipWs();
    if (state === 'value') {
      const c = text[i];
      if (c === '{' || c === '[') {
        stack.push(c === '{' ? 'object' : 'array');
        i++;
        skipWs();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          state = 'after';
        } else {
          state = c === '{' ? 'key' : 'value';
        }
      } else if (c === '"') {
        const e = string();
        if (e) return e;
        state = 'after';
      } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return fail('a malformed number');
        i = NUMBER.lastIndex;
        state = 'after';
      } else if (c !== undefined && 'tfn'.includes(c)) {
        const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
        if (text.slice(i, i + word.length) !== word) return unexpected();
        i += word.length;
        state = 'after';
      } else {
        return unexpected();
      }
    } else if (state === 'key') {
      if (text[i] !== '"') return i >= n ? unexpected() : fail('expected a property name in double quotes');
      const e = string();
      if (e) return e;
      skipWs();
      if (text[i] !== ':') return i >= n ? unexpected() : fail('expected ":" after a property name');
      i++;
      state = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (!top) return i < n ? fail('unexpected text after the end of the JSON value') : null;
      const close = top === 'object' ? '}' : ']';
      if (text[i] === ',') {
        i++;
        state = top === 'object' ? 'key' : 'value';
      } else if (text[i] === close) {
        stack.pop();
        i++;
      } else {
        return i >= n ? unexpected() : fail(`expected "," or "${close}"`);
      }
    }
  }
}

/**
 * The offset of the first `[` or `{` deeper than `max` levels, or null. Strings are skipped,
 * so brackets inside them do not count. Assumes text JSON.parse accepted.
 */
export function findJsonTooDeep(text: string, max: number): number | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return null;
}

/** 1-based line and column of an offset, for messages. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
