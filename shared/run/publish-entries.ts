import { z } from 'zod';

/**
 * The two other payloads of the audit log besides run records (engine/audit/publish-intent.ts
 * writes them): the intent a run appends just before it publishes its first sink, and the
 * reconciliation a later run appends for a run that died between its intent and its outcome.
 */
export const INTENT_FORMAT = 'weir.publish_intent';
export const RECONCILED_FORMAT = 'weir.publish_reconciled';
export const INTENT_VERSION = 1;
export const RECONCILED_VERSION = 1;

/** How a later run tells whether a sink was published, if its run died while publishing. */
export const publishEvidence = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('file'), path: z.string(), sha256: z.string() }),
  z.strictObject({ kind: z.literal('other'), how: z.string() }),
]);
export type PublishEvidence = z.infer<typeof publishEvidence>;

export const intentSink = z.strictObject({ node: z.string(), target: z.string(), evidence: publishEvidence });
export type IntentSink = z.infer<typeof intentSink>;

export const publishIntentV1 = z.strictObject({
  format: z.literal(INTENT_FORMAT),
  version: z.literal(1),
  runId: z.string().min(1),
  pipeline: z.strictObject({ name: z.string(), file: z.string() }),
  environment: z.string(),
  mode: z.enum(['all', 'partial']),
  sinks: z.array(intentSink),
  host: z.string(),
  pid: z.number().int(),
  at: z.string(),
});
export type PublishIntentEntry = z.infer<typeof publishIntentV1>;

export const reconciledSink = z.strictObject({
  node: z.string(),
  target: z.string(),
  published: z.union([z.boolean(), z.literal('unknown')]),
  /** How it was found out (or why it could not be). */
  how: z.string(),
});

export const reconciledV1 = z.strictObject({
  format: z.literal(RECONCILED_FORMAT),
  version: z.literal(1),
  runId: z.string().min(1),
  /** The run that found the open intent and looked. */
  reconciledBy: z.string(),
  sinks: z.array(reconciledSink),
  at: z.string(),
});
export type ReconciledEntry = z.infer<typeof reconciledV1>;
