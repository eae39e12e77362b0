import { describe, expect, it } from 'vitest';
import { isLogProblem, logProblemCounts, logProblemsLabel } from '../../../src-renderer/run/log-counts';
import { recordRelative } from '../../../src-renderer/run/log-text';

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

describe("the run's end in the log", () => {
  it('names its record inside the workspace, and leaves other paths alone', () => {
    expect(recordRelative('run failed in 62 ms · record /tmp/ws/.weir/runs/r1.json', '/tmp/ws')).toBe('run failed in 62 ms · record .weir/runs/r1.json');
    expect(recordRelative('run failed in 62 ms · record C:\\w\\.weir\\runs\\r1.json', 'C:\\w')).toBe('run failed in 62 ms · record .weir\\runs\\r1.json');
    expect(recordRelative('run failed in 62 ms · record /elsewhere/r1.json', '/tmp/ws')).toBe('run failed in 62 ms · record /elsewhere/r1.json');
    expect(recordRelative('run failed in 62 ms · record /tmp/ws2/r1.json', '/tmp/ws')).toBe('run failed in 62 ms · record /tmp/ws2/r1.json');
    expect(recordRelative('run succeeded in 1 s', undefined)).toBe('run succeeded in 1 s');
  });
});
