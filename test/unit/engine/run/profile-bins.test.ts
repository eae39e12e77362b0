import { describe, expect, it } from 'vitest';
import { boundText, MAX_BINS, niceWidth, planBins } from '../../../../src-main/engine/run/profile-bins';

/** The values of `n` evenly spread numbers from min to max, as BinStats. */
const spread = (n: number, min: number, max: number, integer = false) => ({ n, min, max, q1: min + (max - min) / 4, q3: min + (3 * (max - min)) / 4, integer });

describe("the profile's histogram bins", () => {
  it('never one bin for a range, and none for a single value (the profile says so instead)', () => {
    expect(planBins({ n: 40, min: 91.5, max: 91.5, q1: 91.5, q3: 91.5, integer: false })).toBeNull();
    expect(planBins({ n: 0, min: 0, max: 0, q1: 0, q3: 0, integer: false })).toBeNull();
    const two = planBins(spread(2, 0, 1))!;
    expect(two.count).toBeGreaterThanOrEqual(2);
    for (const n of [3, 10, 40, 1000, 1_000_000]) expect(planBins(spread(n, 64.2, 98.7))!.count, `n = ${n}`).toBeGreaterThanOrEqual(2);
  });

  it('Freedman–Diaconis by the spread of the middle half, capped for a small chart; round widths', () => {
    const p = planBins(spread(1000, 0, 100))!;
    // 2 × IQR / ∛n = 2 × 50 / 10 = 10 → ten bins of 10 from 0.
    expect(p).toEqual({ start: 0, width: 10, count: 10 });
    expect(planBins(spread(10_000_000, 0, 1))!.count).toBeLessThanOrEqual(MAX_BINS);
    // A long tail (quartiles close together, a far maximum) stays within the cap.
    expect(planBins({ n: 100_000, min: 0, max: 1e6, q1: 10, q3: 12, integer: false })!.count).toBeLessThanOrEqual(MAX_BINS);
    const widths = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];
    for (const [lo, hi] of [[64.2, 98.7], [0.0012, 0.0097], [1500, 98000]] as const) {
      const plan = planBins(spread(500, lo, hi))!;
      const mantissa = plan.width / 10 ** Math.floor(Math.log10(plan.width));
      expect([1, 2, 5], `${lo}–${hi}: width ${plan.width}`).toContain(Math.round(mantissa));
      expect(plan.start).toBeLessThanOrEqual(lo);
      expect(plan.start + plan.count * plan.width).toBeGreaterThanOrEqual(hi);
    }
    expect(widths.map(niceWidth)).toEqual(widths);
    expect([0.13, 3.2, 7, 41].map(niceWidth)).toEqual([0.2, 5, 10, 50]);
  });

  it('Sturges where the quartiles coincide (most values alike)', () => {
    const p = planBins({ n: 1024, min: 0, max: 100, q1: 50, q3: 50, integer: false })!;
    // ⌈log2 1024⌉ + 1 = 11 bins wanted → width 100/11 → 10.
    expect(p.width).toBe(10);
  });

  it('whole numbers get whole widths: 1..5 gives five bins, one per value', () => {
    expect(planBins(spread(100, 1, 5, true))).toEqual({ start: 1, width: 1, count: 5 });
    const days = planBins(spread(365, 19_723, 20_088, true))!;
    expect(Number.isInteger(days.width)).toBe(true);
  });

  it('bounds read without float noise', () => {
    expect(boundText(0.1 + 0.2, 0.1)).toBe('0.3');
    expect(boundText(65, 5)).toBe('65');
    expect(boundText(0.0015, 0.0005)).toBe('0.0015');
    expect(boundText(-0.00001, 0.1)).toBe('0.0');
  });
});
