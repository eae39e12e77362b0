import { describe, expect, it } from 'vitest';
import { clockTime, clockTimeMs, moment } from '../../../src-renderer/ui/time-format';

describe('times in the designer: 24-hour, the same in the run log, History and git history', () => {
  const afternoon = new Date(2026, 11, 6, 15, 4, 9, 42);

  it('writes the time of day on the 24-hour clock, never AM/PM', () => {
    expect(clockTime(afternoon)).toBe('15:04:09');
    expect(clockTimeMs(afternoon)).toBe('15:04:09.042');
    expect(clockTime(new Date(2026, 11, 6, 0, 5, 0))).toBe('00:05:00');
  });

  it('shows the time alone for today, the date and the minute for another day', () => {
    const now = new Date(2026, 11, 6, 18, 0, 0);
    expect(moment(afternoon, now)).toBe('15:04:09');
    expect(moment(afternoon.toISOString(), now)).toBe('15:04:09');
    expect(moment(new Date(2026, 11, 5, 23, 59, 30), now)).toBe('2026-12-05 23:59');
  });

  it('leaves a string it cannot read as it is', () => {
    expect(moment('not a date')).toBe('not a date');
  });
});
