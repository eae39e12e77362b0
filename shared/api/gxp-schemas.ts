import { z } from 'zod';
import { releaseStateName, signatureMeaning } from '../gxp/signers';

/** The Sign dialog's and History's view of signatures and release states (engine/audit/signatures/). */
export const runIdParam = z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/);

export const signatureSummary = z.strictObject({
  seq: z.number().int(),
  signerId: z.string(),
  signerName: z.string(),
  meaning: signatureMeaning,
  signedAt: z.string(),
  comment: z.string(),
  account: z.string(),
});

export const runReleaseStatus = z.strictObject({
  runId: z.string(),
  key: z.string(),
  pipeline: z.string(),
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  finishedAt: z.string(),
  state: releaseStateName,
  stateSince: z.strictObject({ seq: z.number().int(), at: z.string() }).nullable(),
  signatures: z.array(signatureSummary),
});

export const signingSubject = z.strictObject({
  runId: z.string(),
  key: z.string(),
  recordSha256: z.string(),
  pipeline: z.strictObject({ name: z.string(), file: z.string(), sha256: z.string(), gitCommit: z.string().nullable(), gitDirty: z.boolean().nullable() }),
  status: z.string(),
  finishedAt: z.string(),
  inputs: z.array(z.strictObject({ node: z.string(), uri: z.string(), version: z.string() })),
  checks: z.array(z.strictObject({ node: z.string(), rule: z.string(), severity: z.string(), passed: z.boolean(), failingRows: z.number() })),
  state: releaseStateName,
  signatures: z.array(z.strictObject({ seq: z.number().int(), signerName: z.string(), meaning: signatureMeaning, signedAt: z.string() })),
  refusal: z.string().nullable(),
  signers: z.array(z.strictObject({ id: z.string(), name: z.string(), roles: z.array(z.string()) })),
});

export const signInput = z.strictObject({
  runId: runIdParam,
  meaning: signatureMeaning,
  comment: z.string().max(2000).optional(),
  signerId: z.string().max(64).optional(),
  /** Travels once to the main process, used to unlock the key, never stored or logged. */
  passphrase: z.string().min(1).max(1024),
});

export const signOutput = z.strictObject({
  seq: z.number().int(),
  signerName: z.string(),
  signedAt: z.string(),
  meaning: signatureMeaning,
  state: z.strictObject({ from: releaseStateName, to: releaseStateName, seq: z.number().int() }).nullable(),
});
