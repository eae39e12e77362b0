import { describe, expect, it } from 'vitest';
import { isLogProblem, logProblemCounts, logProblemsLabel } from '../../../src-renderer/run/log-counts';

describe('the run log counts (the Run log badge and its "Warnings and errors" filter)', () => {
  const log = [{ level: 'info' }, { level: 'error' }, { level: 'warn' }, { level: 'warn' }, { level: 'error' }, { level: 'info' }] as const;

  it('counts errors and warnings, and the total is what the filter shows', () => {
    const c = logProblemCounts(log);
    expect(c).toEqual({ errors: 2, warnings: 2, total: 4 });
    expect(log.filter(isLogProblem)).toHaveLength(c.total);
  });

  it('says the count in words', () => {
    expect(logProblemsLabel(logProblemCounts(log))).toBe('2 errors, 2 warnings in the log');
    expect(logProblemsLabel(logProblemCounts([{ level: 'warn' }]))).toBe('1 warning in the log');
    expect(logProblemsLabel(logProblemCounts([{ level: 'info' }]))).toBe('No warnings or errors in the log');
  });
});
