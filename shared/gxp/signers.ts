import { z } from 'zod';

/**
 * The workspace's `signers.json` (under version control, changed by review like code): who may
 * sign run records, with which public key and for which period, and the release policy that
 * says which signatures change a run's (or lot's) release state. Private keys are never here:
 * they stay in each signer's encrypted key file (engine/audit/signatures/key-file.ts).
 */
export const SIGNERS_FILE = 'signers.json';
export const SIGNERS_FORMAT = 'weir.signers';
export const SIGNERS_VERSION = 1;
export const SIGNERS_SCHEMA_PATH = `schema/weir.signers.v${SIGNERS_VERSION}.schema.json`;

/** What a signature means (Part 11 §11.50(a)(3)); the last three change a release state. */
export const SIGNATURE_MEANINGS = ['reviewed', 'approved', 'released', 'rejected', 'on_hold'] as const;
export const signatureMeaning = z.enum(SIGNATURE_MEANINGS);
export type SignatureMeaning = z.infer<typeof signatureMeaning>;

export const RELEASE_STATES = ['pending', 'released', 'rejected', 'on_hold'] as const;
export const releaseStateName = z.enum(RELEASE_STATES);
export type ReleaseStateName = z.infer<typeof releaseStateName>;

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s), 'expected an ISO 8601 time such as "2026-01-01T00:00:00Z"');

export const signerEntry = z.strictObject({
  /** Stable id (the key file's name, the CLI's --signer). */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected letters, digits, ".", "_" or "-" (up to 64)'),
  /** The printed name a signature shows (§11.50(a)(1)). */
  name: z.string().min(1).max(200),
  roles: z.array(z.string().min(1).max(64)).default([]),
  /** Ed25519 public key: PEM (SPKI) or the raw 32 bytes in base64. */
  publicKey: z.string().min(1).max(2000),
  /** The key signs validly from this time on, and (when given) before `validTo`. */
  validFrom: isoTime,
  validTo: isoTime.nullable().optional(),
});
export type SignerEntry = z.infer<typeof signerEntry>;

/** What a state change needs. */
export const stateRule = z.strictObject({
  /** Distinct signers whose signatures of this record count towards it (the acting one included). */
  signatures: z.number().int().min(1).max(10).default(1),
  /** Each role listed must be held by at least one of those signers. */
  roles: z.array(z.string().min(1)).default([]),
  /** Refused when the run failed, or any error-severity check in it failed. */
  noFailedBlockingCheck: z.boolean().default(false),
});
export type StateRule = z.infer<typeof stateRule>;

export const releasePolicy = z.strictObject({
  released: stateRule.default({ signatures: 1, roles: [], noFailedBlockingCheck: true }),
  rejected: stateRule.default({ signatures: 1, roles: [], noFailedBlockingCheck: false }),
  on_hold: stateRule.default({ signatures: 1, roles: [], noFailedBlockingCheck: false }),
});
export type ReleasePolicy = z.infer<typeof releasePolicy>;

export const signersFileV1 = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(SIGNERS_FORMAT),
  version: z.literal(SIGNERS_VERSION),
  signers: z.array(signerEntry),
  /** Which signatures move a run (or lot) from pending to released, rejected or on hold. */
  release: releasePolicy.default({
    released: { signatures: 1, roles: [], noFailedBlockingCheck: true },
    rejected: { signatures: 1, roles: [], noFailedBlockingCheck: false },
    on_hold: { signatures: 1, roles: [], noFailedBlockingCheck: false },
  }),
  /**
   * `weir run --reason` is required: in protected environments (`protected`), always
   * (`always`) or never (`never`, the default).
   */
  requireRunReason: z.enum(['never', 'protected', 'always']).default('never'),
});
export type SignersFile = z.infer<typeof signersFileV1>;

/** The state a signature of this meaning moves to, if any. */
export function stateForMeaning(m: SignatureMeaning): Exclude<ReleaseStateName, 'pending'> | null {
  return m === 'released' || m === 'rejected' || m === 'on_hold' ? m : null;
}

/** Is the signer's key valid at `at` (validFrom inclusive, validTo exclusive)? */
export function keyValidAt(s: Pick<SignerEntry, 'validFrom' | 'validTo'>, at: string): boolean {
  const t = Date.parse(at);
  if (Number.isNaN(t) || t < Date.parse(s.validFrom)) return false;
  return !s.validTo || t < Date.parse(s.validTo);
}
