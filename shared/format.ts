/**
 * How Weir writes durations and counts, in the app, its log and the CLI alike (en-US
 * grouping, so a screenshot, a log line and a terminal read the same).
 */
let intl: Intl.NumberFormat | null = null;

/**
 * `n` as en-US's Intl.NumberFormat writes it. Whole numbers are grouped here: making the
 * first Intl formatter loads ICU's data, tens of milliseconds of a `weir run` that prints
 * "2 rows" (bench figure 6); any other number still goes to Intl.
 */
function grouped(n: number): string {
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
  intl ??= new Intl.NumberFormat('en-US');
  return intl.format(n);
}

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
  return `${grouped(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** `a` or `an` before a word as it is read aloud: an aggregate, an http_source, a union, a file_sink. */
export function article(word: string): string {
  return /^(?:[aeio]|u(?!n[iu]|s[eu]|t)|http)/i.test(word) ? 'an' : 'a';
}
