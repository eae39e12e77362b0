import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { terminalProgress } from '../../../src-main/cli/support/progress';
import { count, duration } from '../../../shared/format';

describe('durations and counts, written one way', () => {
  it('writes milliseconds, then seconds (two decimals under ten), then minutes', () => {
    expect(duration(0)).toBe('0 ms');
    expect(duration(999)).toBe('999 ms');
    expect(duration(1000)).toBe('1.00 s');
    expect(duration(1500)).toBe('1.50 s');
    expect(duration(9_994)).toBe('9.99 s');
    expect(duration(9_996)).toBe('10.0 s');
    expect(duration(12_345)).toBe('12.3 s');
    expect(duration(59_949)).toBe('59.9 s');
    expect(duration(59_990)).toBe('1 min 0 s');
    expect(duration(125_400)).toBe('2 min 5 s');
  });

  it('groups a count the en-US way and says one without an s', () => {
    expect(count(0, 'row')).toBe('0 rows');
    expect(count(1, 'row')).toBe('1 row');
    expect(count(1200, 'row')).toBe('1,200 rows');
    expect(count(1, 'failing row')).toBe('1 failing row');
  });

  it('writes any count as en-US Intl.NumberFormat does (whole ones without loading ICU)', () => {
    const intl = new Intl.NumberFormat('en-US');
    const values = [0, -0, 1, -1, 12, 999, 1000, -1000, 12_345, 999_999, 1_000_000, -9_876_543_210, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60, 1.5, 1234.5678, -0.0004, NaN, Infinity, -Infinity];
    for (const n of values) expect(count(n, 'row'), String(n)).toBe(`${intl.format(n)} row${n === 1 ? '' : 's'}`);
  });

  it('the CLI progress lines use them', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (b: Buffer) => (text += b.toString()));
    const sink = terminalProgress(out as unknown as NodeJS.WriteStream);
    sink.event({ type: 'run_started', runId: 'r1', pipeline: 'p', nodes: [{ id: 'a', name: 'lots', kind: 'seed' }], at: '' });
    sink.event({ type: 'node_finished', runId: 'r1', nodeId: 'a', name: 'lots', rows: 1, durationMs: 1500, cached: false, at: '' });
    // Progress is written in batches, on the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(text).toContain('run r1: p, 1 node\n');
    expect(text).toContain('lots: done (1 row, 1.50 s)');
  });
});
