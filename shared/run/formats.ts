import { WeirError } from '../errors';
import { INTENT_FORMAT, INTENT_VERSION, RECONCILED_FORMAT, RECONCILED_VERSION, publishIntentV1, reconciledV1, type PublishIntentEntry, type ReconciledEntry } from './publish-entries';
import { RUN_RECORD_FORMAT, RUN_RECORD_VERSION, runRecordV3, type RunRecord } from './record';
import { quoteStored, readStored, type Migration, type ReadStored, type StoredFormat } from './versioned';

/**
 * The stored formats of a run and how each is read; the next change to a shape adds its
 * version and a migration here.
 */
export const runRecordMigrations: readonly Migration[] = [
  {
    from: 1,
    to: 2,
    describe: 'version 2 adds userHint (WEIR_USER) and reason, both optional: a version 1 record has neither',
    migrate: (doc) => ({ ...doc, version: 2 }),
  },
  {
    from: 2,
    to: 3,
    describe: "version 3 adds each node's startedAt and finishedAt, both optional: a version 2 record has neither",
    migrate: (doc) => ({ ...doc, version: 3 }),
  },
];

export const runRecordFormat: StoredFormat<RunRecord> = {
  format: RUN_RECORD_FORMAT,
  what: 'run record',
  version: RUN_RECORD_VERSION,
  schema: runRecordV3,
  migrations: runRecordMigrations,
};

export const publishIntentFormat: StoredFormat<PublishIntentEntry> = {
  format: INTENT_FORMAT,
  what: 'publish intent',
  version: INTENT_VERSION,
  schema: publishIntentV1,
  migrations: [],
};

export const reconciledFormat: StoredFormat<ReconciledEntry> = {
  format: RECONCILED_FORMAT,
  what: 'publish reconciliation',
  version: RECONCILED_VERSION,
  schema: reconciledV1,
  migrations: [],
};

/** A run record as stored (a run file, or an audit entry's payload), checked and migrated for display. */
export function readRunRecord(raw: unknown): ReadStored<RunRecord> {
  return readStored(runRecordFormat, raw);
}

/** What an audit log entry holds. */
export type AuditPayload = RunRecord | PublishIntentEntry | ReconciledEntry;

export type ReadAuditPayload =
  | { kind: 'run'; record: RunRecord; migratedFrom: number | null }
  | { kind: 'intent'; intent: PublishIntentEntry; migratedFrom: number | null }
  | { kind: 'reconciled'; reconciled: ReconciledEntry; migratedFrom: number | null };

/** An audit entry's payload, by its `format`, checked and migrated for display. */
export function readAuditPayload(raw: unknown): ReadAuditPayload {
  const format = raw && typeof raw === 'object' ? (raw as { format?: unknown }).format : undefined;
  if (format === RUN_RECORD_FORMAT) {
    const r = readRunRecord(raw);
    return { kind: 'run', record: r.value, migratedFrom: r.migratedFrom };
  }
  if (format === INTENT_FORMAT) {
    const r = readStored(publishIntentFormat, raw);
    return { kind: 'intent', intent: r.value, migratedFrom: r.migratedFrom };
  }
  if (format === RECONCILED_FORMAT) {
    const r = readStored(reconciledFormat, raw);
    return { kind: 'reconciled', reconciled: r.value, migratedFrom: r.migratedFrom };
  }
  const got = format === undefined ? 'no "format" field' : `"format": ${quoteStored(format)}`;
  throw new WeirError('invalid', `not a Weir audit entry payload: ${got} (expected "${RUN_RECORD_FORMAT}", "${INTENT_FORMAT}" or "${RECONCILED_FORMAT}")`);
}
