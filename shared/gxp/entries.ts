import { z } from 'zod';
import { canonicalJson } from '../canonical-json';
import { releaseStateName, signatureMeaning, type SignatureMeaning } from './signers';

/**
 * The payloads of the audit trail's `signature` and `state` entries. A signature binds its
 * meaning, time, signer and comment to the run record's hash (Part 11 §11.70): the Ed25519
 * signature is over `signingPayload(...)`, the canonical JSON of exactly those fields.
 */
export const SIGNATURE_FORMAT = 'weir.signature';
export const STATE_FORMAT = 'weir.release_state';
const SIGNING_DOMAIN = 'weir.signature.v1';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in hex');

/** The fields a signature is made over, and nothing else. */
export interface SignedFields {
  runId: string;
  /** The run (or its lot) the signature is about: `lot ?? runId`. */
  key: string;
  recordSha256: string;
  meaning: SignatureMeaning;
  /** UTC, ISO 8601. */
  signedAt: string;
  signerId: string;
  comment: string;
}

/** The exact bytes signed: the canonical JSON of the signed fields under a domain tag. */
export function signingPayload(f: SignedFields): string {
  return canonicalJson({
    domain: SIGNING_DOMAIN,
    runId: f.runId,
    key: f.key,
    recordSha256: f.recordSha256,
    meaning: f.meaning,
    signedAt: f.signedAt,
    signerId: f.signerId,
    comment: f.comment,
  });
}

export const signaturePayloadV1 = z.strictObject({
  format: z.literal(SIGNATURE_FORMAT),
  version: z.literal(1),
  runId: z.string().min(1),
  key: z.string().min(1),
  recordSha256: hex64,
  meaning: signatureMeaning,
  signedAt: z.string(),
  signerId: z.string(),
  comment: z.string(),
  /** Shown with the signature (§11.50(a)(1)); as listed in signers.json when signed. */
  signerName: z.string(),
  signerRoles: z.array(z.string()),
  /** The OS account that made the signature (not a free variable). */
  account: z.string(),
  host: z.string(),
  /** What the record says was run: the pipeline file, its SHA-256 and commit. */
  pipeline: z.strictObject({ file: z.string(), sha256: z.string(), gitCommit: z.string().nullable() }),
  algorithm: z.literal('Ed25519'),
  /** SHA-256 of the raw public key, so a reader sees which key signed. */
  publicKeySha256: hex64,
  /** Base64 Ed25519 signature over `signingPayload`. */
  signature: z.string(),
});
export type SignaturePayload = z.infer<typeof signaturePayloadV1>;

export const statePayloadV1 = z.strictObject({
  format: z.literal(STATE_FORMAT),
  version: z.literal(1),
  runId: z.string().min(1),
  key: z.string().min(1),
  from: releaseStateName,
  to: releaseStateName,
  at: z.string(),
  recordSha256: hex64,
  /** The signatures (by audit seq) that satisfied the policy, the acting one last. */
  signatures: z.array(z.strictObject({ seq: z.number().int(), signerId: z.string(), meaning: signatureMeaning })),
});
export type StatePayload = z.infer<typeof statePayloadV1>;

export function signedFieldsOf(p: SignaturePayload): SignedFields {
  return { runId: p.runId, key: p.key, recordSha256: p.recordSha256, meaning: p.meaning, signedAt: p.signedAt, signerId: p.signerId, comment: p.comment };
}
