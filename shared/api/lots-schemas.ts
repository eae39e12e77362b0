import { z } from 'zod';

/** A lot's state as `weir partitions` and the designer's lots view show it (docs/lots.md). */
export const lotStateName = z.enum(['new', 'changed', 'up_to_date', 'failed']);
export type LotStateName = z.infer<typeof lotStateName>;

export const partitionEntry = z.strictObject({
  key: z.string(),
  state: lotStateName,
  /** The run that last succeeded (or, for a failed lot, that failed). */
  runId: z.string().optional(),
  /** When that run finished (ISO UTC). */
  at: z.string().optional(),
  /** The lot's fingerprint over its inputs as they are now. */
  fingerprint: z.string().optional(),
});
export type PartitionEntry = z.infer<typeof partitionEntry>;

/** `weir partitions FILE --json` and the API's `pipeline.partitions`. */
export const partitionsListing = z.strictObject({
  pipeline: z.string(),
  key: z.string(),
  partitions: z.array(partitionEntry),
});
export type PartitionsListing = z.infer<typeof partitionsListing>;
