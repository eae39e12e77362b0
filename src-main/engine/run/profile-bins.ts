/**
 * How a profile's histogram cuts a column's range: a bin count from the data (Freedman–Diaconis
 * on the interquartile range, Sturges where the quartiles coincide), capped, and widths rounded
 * to 1, 2 or 5 times a power of ten so the bounds read as numbers a person would pick. Whole
 * numbers (and dates, counted in days) get whole widths, so a column of 1..5 gets five bins,
 * never "2.4 to 2.8". A column of a single value gets no bins: the profile says so instead.
 */

export interface BinStats {
  /** Non-NULL values. */
  n: number;
  min: number;
  max: number;
  /** First and third quartiles. */
  q1: number;
  q3: number;
  /** Whole numbers only (integers, dates in days): widths are whole too. */
  integer: boolean;
}

export interface BinPlan {
  /** The lower bound of the first bin. */
  start: number;
  width: number;
  count: number;
}

export const MAX_BINS = 24;
const MIN_BINS = 2;

/** The smallest of 1, 2, 5 × 10^k that is at least `x`. */
export function niceWidth(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-12)) return m * p;
  return 10 * p;
}

/** Bins over [min, max], or null when there is nothing to spread (no values, or one value). */
export function planBins(s: BinStats): BinPlan | null {
  if (!(s.n > 0) || !Number.isFinite(s.min) || !Number.isFinite(s.max) || s.max <= s.min) return null;
  const range = s.max - s.min;
  const iqr = s.q3 - s.q1;
  const sturges = Math.ceil(Math.log2(s.n)) + 1;
  const fd = iqr > 0 ? Math.ceil(range / ((2 * iqr) / Math.cbrt(s.n))) : sturges;
  // No more bins than values, nor than a small chart shows legibly.
  const wanted = Math.max(MIN_BINS, Math.min(MAX_BINS, fd, Math.max(MIN_BINS, s.n)));
  let width = niceWidth(range / wanted);
  if (s.integer) width = Math.max(1, Math.round(width));
  let start = Math.floor(s.min / width) * width;
  // The nice width can leave the last value just past the end; widen until it fits the cap.
  let count = Math.floor((s.max - start) / width) + 1;
  while (count > MAX_BINS) {
    width = niceWidth(width * 1.0001 + Number.EPSILON);
    if (s.integer) width = Math.max(1, Math.round(width));
    start = Math.floor(s.min / width) * width;
    count = Math.floor((s.max - start) / width) + 1;
  }
  // A value exactly on the last bound belongs to the bin before it, as a closed last bin.
  if (!s.integer && count > MIN_BINS && start + (count - 1) * width >= s.max) count -= 1;
  return { start, width, count: Math.max(1, count) };
}

/** A bound as text with the decimals its (1, 2 or 5 × 10^k) width needs (0.2 → one), and no float noise (0.30000000000000004). */
export function boundText(value: number, width: number): string {
  const decimals = width >= 1 ? 0 : Math.min(12, Math.ceil(-Math.log10(width) - 1e-9));
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}
