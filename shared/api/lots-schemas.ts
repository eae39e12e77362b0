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

/**
 * How one source of a partitioned pipeline takes part in its lots (shared/pipeline/lot-sources.ts):
 * how its rows are split (`path`, `hive`, `column`, or `whole`: every lot reads all of it) and
 * what of it enters a lot's fingerprint (`contents`: its files' hashes or objects' ETags;
 * `pipeline`: rows written in the pipeline file, covered by its logic; `none`: a database or
 * an API, whose changes do not make a lot changed).
 */
export const lotSourceInfo = z.strictObject({
  node: z.string(),
  kind: z.string(),
  split: z.enum(['path', 'hive', 'column', 'whole']),
  fingerprint: z.enum(['contents', 'pipeline', 'none']),
  /** One sentence for people: what a change there does to the lots. */
  note: z.string(),
});
export type LotSourceInfo = z.infer<typeof lotSourceInfo>;

/** `weir partitions FILE --json` and the API's `pipeline.partitions`. */
export const partitionsListing = z.strictObject({
  pipeline: z.string(),
  key: z.string(),
  /** Every source node, in the file's order. */
  sources: z.array(lotSourceInfo),
  partitions: z.array(partitionEntry),
});
export type PartitionsListing = z.infer<typeof partitionsListing>;
