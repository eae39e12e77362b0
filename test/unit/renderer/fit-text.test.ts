import { describe, expect, it } from 'vitest';
import { fitText, fitTwoLines } from '../../../src-renderer/canvas/fit-text';

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

describe('fitTwoLines', () => {
  it('keeps a name that fits on one line', () => {
    expect(fitTwoLines('batches', 100, mono)).toEqual(['batches']);
  });

  it('breaks after an underscore in the second half of the first line, keeping words whole', () => {
    expect(fitTwoLines('assays_checked', 100, mono)).toEqual(['assays_', 'checked']);
    expect(fitTwoLines('out_release_summary', 120, mono)).toEqual(['out_release_', 'summary']);
  });

  it('breaks at an earlier underscore rather than inside a word when the rest then fits', () => {
    expect(fitTwoLines('raw_assays', 90, mono)).toEqual(['raw_', 'assays']);
  });

  it('breaks inside a word when no underscore is late enough, and the lines joined are the name', () => {
    const lines = fitTwoLines('out_releasesummary', 100, mono);
    expect(lines).toEqual(['out_releas', 'esummary']);
    expect(lines.join('')).toBe('out_releasesummary');
  });

  it('shortens the second line with "…" when two lines are not enough, still a prefix of the name', () => {
    const lines = fitTwoLines('release_summary_for_every_batch', 100, mono);
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(mono(l)).toBeLessThanOrEqual(100);
    expect(lines[1]!.endsWith('…')).toBe(true);
    expect('release_summary_for_every_batch'.startsWith(lines.join('').slice(0, -1))).toBe(true);
  });
});
