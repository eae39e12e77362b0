import { z } from 'zod';
import { publishIntentV1, reconciledV1 } from './publish-entries';
import { runRecordV1 } from './record';

/**
 * One line of `.weir/audit/log.jsonl`: the hash chain's envelope around a payload (a run
 * record, a publish intent or a reconciliation). `recordSha256` is over the canonical JSON of
 * the payload exactly as stored, which is why readers never rewrite it.
 */
export const AUDIT_ENTRY_VERSION = 1;
export const AUDIT_ENTRY_SCHEMA_PATH = `schema/weir.audit-entry.v${AUDIT_ENTRY_VERSION}.schema.json`;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex');

export const auditEnvelope = z.strictObject({
  seq: z.number().int().min(1),
  runId: z.string().min(1),
  recordSha256: hex64,
  prevHash: hex64,
  hash: hex64,
  /** Checked on its own by its `format` (shared/run/formats.ts). */
  record: z.record(z.string(), z.unknown()),
});
export type AuditEnvelope = z.infer<typeof auditEnvelope>;

/** The envelope with its payload spelled out, for the published JSON Schema. */
export const auditEntryV1 = auditEnvelope.extend({ record: z.union([runRecordV1, publishIntentV1, reconciledV1]) });
