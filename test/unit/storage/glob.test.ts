import { describe, expect, it } from 'vitest';
import { globMatcher, normalizePrefix } from '../../../src-main/engine/storage/glob';

describe('globMatcher', () => {
  const cases: [string, string, boolean][] = [
    ['*.csv', 'assays.csv', true],
    ['*.csv', 'sub/assays.csv', false],
    ['**/*.csv', 'assays.csv', true],
    ['**/*.csv', 'a/b/assays.csv', true],
    ['**/*.csv', 'a/b/assays.parquet', false],
    ['**', 'a/b/c', true],
    ['site=*/*.parquet', 'site=A/data_0.parquet', true],
    ['batch_?.csv', 'batch_1.csv', true],
    ['batch_?.csv', 'batch_12.csv', false],
    ['{assays,batches}.csv', 'batches.csv', true],
    ['{assays,batches}.csv', 'readings.csv', false],
    ['[ab]*.csv', 'batches.csv', true],
    ['[!ab]*.csv', 'batches.csv', false],
    ['a.b', 'axb', false],
    ['(x)+.csv', '(x)+.csv', true],
  ];
  it.each(cases)('%s on %s is %s', (glob, path, want) => {
    expect(globMatcher(glob)(path)).toBe(want);
  });
});

describe('normalizePrefix', () => {
  it('makes a folder-like prefix', () => {
    expect(normalizePrefix('')).toBe('');
    expect(normalizePrefix('raw')).toBe('raw/');
    expect(normalizePrefix('/raw//assays/')).toBe('raw/assays/');
    expect(normalizePrefix('raw\\assays')).toBe('raw/assays/');
  });
});
