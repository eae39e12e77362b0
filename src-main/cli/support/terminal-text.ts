/**
 * Text bound for a terminal or a log, made harmless. Names, SQL and values come from files a
 * user did not necessarily write; an ESC sequence in them could move the cursor, rewrite what
 * was printed before, retitle the window or hide text, and bidirectional overrides can make
 * shown text read differently from what it is. So every control character (C0 except tab and,
 * when asked, newline; DEL; C1), every bidi control, zero-width character, line or paragraph
 * separator, byte order mark and lone surrogate is shown as an escape: \xNN below 0x100,
 * \u{NNNN} above. Invalid UTF-8 never gets this far: the loader refuses it, naming the byte.
 */

// C0 but tab and newline, DEL, C1, zero-width and bidi marks, line/paragraph separators,
// bidi embeddings/overrides/isolates, byte order mark, and lone surrogates.
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_WITH_NEWLINE = new RegExp(`${UNSAFE.source}|\\n`, 'g');

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One line: newlines are escaped too (messages must stay one line whatever they quote). */
export function safeLine(text: string): string {
  return text.replace(UNSAFE_WITH_NEWLINE, escapeChar);
}

/** Several lines (SQL in `weir plan`, a usage text): newlines and tabs kept, the rest escaped. */
export function safeLines(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** The SGR codes `formatPipelineDiff` colors with: reset, bold, red, green, yellow, cyan. */
const OWN_COLORS = /(\x1b\[(?:0|1|31|32|33|36)m)/;

/**
 * The same for colored output whose only escapes are the formatter's own color codes: those
 * are kept, every other control is escaped. The same color code inside quoted text survives
 * too, which can change a color but cannot move the cursor or hide anything.
 */
export function safeColoredLines(text: string): string {
  return text
    .split(OWN_COLORS)
    .map((part, i) => (i % 2 ? part : safeLines(part)))
    .join('');
}

/**
 * JSON for stdout (`--json`): JSON.stringify escapes C0 controls but leaves DEL, C1, bidi and
 * line separators raw; they are written as \u escapes, which parse back to the same value.
 */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
