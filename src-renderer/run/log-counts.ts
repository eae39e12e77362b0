import { count } from '../../shared/format';
import type { LogEntry } from './run-reducer';

/** The log's lines that are not plain progress: what the "Warnings and errors" filter shows. */
export interface LogProblemCounts {
  errors: number;
  warnings: number;
  /** errors + warnings: the one number the Run log tab's badge and the filter both show. */
  total: number;
}

/** A line the "Warnings and errors" filter keeps, and the counts below count. */
export const isLogProblem = (e: Pick<LogEntry, 'level'>): boolean => e.level === 'error' || e.level === 'warn';

/**
 * One count for the run log's badge and its filter, so the two never disagree (the badge
 * once counted errors only while the filter counted warnings too).
 */
export function logProblemCounts(log: readonly Pick<LogEntry, 'level'>[]): LogProblemCounts {
  let errors = 0;
  let warnings = 0;
  for (const e of log) {
    if (!isLogProblem(e)) continue;
    if (e.level === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings, total: errors + warnings };
}

/** The count in words, for the badge's and the filter's tooltip: "1 error, 2 warnings in the log". */
export function logProblemsLabel({ errors, warnings }: LogProblemCounts): string {
  const parts = [errors && count(errors, 'error'), warnings && count(warnings, 'warning')].filter(Boolean);
  return parts.length ? `${parts.join(', ')} in the log` : 'No warnings or errors in the log';
}
