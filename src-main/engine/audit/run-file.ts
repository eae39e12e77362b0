import type { RunRecord } from '../../../shared/run/record';

/** A run record file's bytes: one form, so that the audit entry's hash of it and the file agree. */
export function runRecordText(record: RunRecord): string {
  return JSON.stringify(record, null, 2) + '\n';
}
