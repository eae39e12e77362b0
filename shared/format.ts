/**
 * How Weir writes durations and counts, in the app, its log and the CLI alike (en-US
 * grouping, so a screenshot, a log line and a terminal read the same).
 */
const grouped = new Intl.NumberFormat('en-US');

/**
 * A duration: whole milliseconds under a second, then seconds with two decimals under ten
 * (a short step's difference shows) and one under a minute, then minutes and seconds.
 */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 9_995) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** "1 row", "1,200 rows": a count with its noun, plural unless one (nouns taking an s). */
export function count(n: number, noun: string): string {
  return `${grouped.format(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** `a` or `an` before a word as it is read aloud: an aggregate, an http_source, a union, a file_sink. */
export function article(word: string): string {
  return /^(?:[aeio]|u(?!n[iu]|s[eu]|t)|http)/i.test(word) ? 'an' : 'a';
}
