import { describe, expect, it } from 'vitest';
import { fitText } from '../../../src-renderer/canvas/fit-text';

// A monospace stand-in for the page's font: every code point is 10 px wide.
const mono = (t: string): number => Array.from(t).length * 10;

describe('fitText', () => {
  it('keeps a text that fits as it is', () => {
    expect(fitText('reactor_qc', 100, mono)).toBe('reactor_qc');
  });

  it('cuts the longest prefix that fits with the ellipsis', () => {
    const out = fitText('bioreactor_readings_clean', 100, mono);
    expect(out).toBe('bioreacto…');
    expect(mono(out)).toBeLessThanOrEqual(100);
  });

  it('never splits a surrogate pair and drops trailing spaces before the ellipsis', () => {
    expect(fitText('ab 🧪🧪🧪🧪', 40, mono)).toBe('ab…');
    expect(fitText('🧪🧪🧪🧪🧪', 40, mono)).toBe('🧪🧪🧪…');
  });

  it('gives just the ellipsis when nothing else fits', () => {
    expect(fitText('abcdef', 5, mono)).toBe('…');
  });
});
