import { z } from 'zod';
import { publishIntentV1, reconciledV1 } from './publish-entries';
import { runRecordStored } from './record';

/**
 * One line of `.weir/audit/log.jsonl`: the hash chain's envelope around a body. A `run` entry
 * holds a run record, a publish intent or a reconciliation in `record`; a `signature` or
 * `state` entry holds its payload in `payload`. `files` lists the workspace files the entry
 * vouches for (run file, report). Lines from before types existed have no `type` and no
 * `files` (hash domain `weir.audit.v1`) and read as `run`. `recordSha256` is over the
 * canonical JSON of the body exactly as stored, which is why readers never rewrite it.
 */
export const AUDIT_ENTRY_VERSION = 2;
export const AUDIT_ENTRY_SCHEMA_PATH = `schema/weir.audit-entry.v${AUDIT_ENTRY_VERSION}.schema.json`;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex');

export const auditEnvelope = z.strictObject({
  seq: z.number().int().min(1),
  runId: z.string().min(1),
  recordSha256: hex64,
  prevHash: hex64,
  hash: hex64,
  /** Absent: an entry from before types existed, a run. */
  type: z.enum(['run', 'signature', 'state']).optional(),
  files: z.array(z.strictObject({ path: z.string().min(1), sha256: hex64 })).optional(),
  /** Type run: checked on its own by its `format` (shared/run/formats.ts). */
  record: z.record(z.string(), z.unknown()).optional(),
  /** Types signature and state: the signing feature's payload. */
  payload: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEnvelope = z.infer<typeof auditEnvelope>;

const base = { seq: z.number().int().min(1), runId: z.string().min(1), recordSha256: hex64, prevHash: hex64, hash: hex64 };
const runBody = z.union([runRecordStored, publishIntentV1, reconciledV1]);
const coveredFiles = z.array(z.strictObject({ path: z.string().min(1), sha256: hex64 })).optional();

/** The envelope with its body spelled out, for the published JSON Schema: the three line forms. */
export const auditEntryV2 = z.union([
  z.strictObject({ ...base, record: runBody }),
  z.strictObject({ ...base, type: z.literal('run'), files: coveredFiles, record: runBody }),
  z.strictObject({ ...base, type: z.enum(['signature', 'state']), files: coveredFiles, payload: z.record(z.string(), z.unknown()) }),
]);
