/** A measured quantity over several runs: the median and its spread. */
export interface Measure {
  unit: string;
  median: number;
  min: number;
  max: number;
  /** Interquartile range (25th and 75th percentiles, linear interpolation). */
  q1: number;
  q3: number;
  samples: number[];
}

export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function measure(samples: readonly number[], unit: string): Measure {
  const s = [...samples].sort((a, b) => a - b);
  return {
    unit,
    median: quantile(s, 0.5),
    min: s[0] ?? Number.NaN,
    max: s[s.length - 1] ?? Number.NaN,
    q1: quantile(s, 0.25),
    q3: quantile(s, 0.75),
    samples: [...samples],
  };
}

/** Readable number with a unit: 3 significant digits, thousands separated. */
export function fmt(v: number, unit: string): string {
  if (!Number.isFinite(v)) return '–';
  const abs = Math.abs(v);
  let s: string;
  if (abs >= 1000) s = Math.round(v).toLocaleString('en-US');
  else if (abs >= 100) s = v.toFixed(0);
  else if (abs >= 10) s = v.toFixed(1);
  else if (abs >= 1) s = v.toFixed(2);
  else s = v.toPrecision(2);
  return unit ? `${s} ${unit}` : s;
}

/** `median (min–max)` for the table. */
export function fmtMeasure(m: Measure): string {
  if (m.samples.length <= 1) return fmt(m.median, m.unit);
  return `${fmt(m.median, m.unit)} (${fmt(m.min, '')}–${fmt(m.max, '')})`;
}
