import { z } from 'zod';

/**
 * The preview's profile tab: per column, nulls, distinct values, min, max and a small
 * histogram, as the engine's `profileNode` computes them over every row of the node.
 */
export const histogramBin = z.strictObject({
  /** Lower bound of the bin (numbers, dates) or the value itself (text, booleans). */
  label: z.string(),
  count: z.number(),
});

export const columnProfile = z.strictObject({
  name: z.string(),
  type: z.string(),
  rows: z.number(),
  nulls: z.number(),
  distinct: z.number(),
  min: z.string().nullable(),
  max: z.string().nullable(),
  histogram: z.array(histogramBin),
});
export type ColumnProfileDto = z.infer<typeof columnProfile>;

export const profileResult = z.strictObject({
  nodeId: z.string(),
  rows: z.number(),
  columns: z.array(columnProfile),
  elapsedMs: z.number(),
});
export type ProfileResultDto = z.infer<typeof profileResult>;
