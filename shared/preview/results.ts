import { z } from 'zod';

/**
 * What a preview and a profile of one node answer: the engine's result types and the API
 * contract's DTOs are these (one definition). Here rather than in shared/api/ because the
 * engine may not import the API layer.
 */
export const previewColumn = z.strictObject({ name: z.string(), type: z.string() });
export type PreviewColumn = z.infer<typeof previewColumn>;

export const previewResult = z.strictObject({
  nodeId: z.string(),
  columns: z.array(previewColumn),
  /** Values as JSON-safe JS: bigints beyond 2^53 and decimals as strings, dates as ISO strings. */
  rows: z.array(z.array(z.unknown())),
  rowCount: z.number().int().nullable(),
  elapsedMs: z.number(),
  /** Set by the designer's API: the revision its warm session keeps the document under, for the next request's edits. */
  revision: z.string().optional(),
});
export type PreviewResult = z.infer<typeof previewResult>;

/**
 * The preview's profile tab: per column, nulls, distinct values, min, max and a small
 * histogram, as the engine's `profileNode` computes them over every row of the node.
 */
export const histogramBin = z.strictObject({
  /** Lower bound of the bin (numbers, dates) or the value itself (text, booleans, a single value). */
  label: z.string(),
  /** Upper bound (exclusive; the last bin's includes the maximum), where a bin is wider than one value. */
  upper: z.string().optional(),
  count: z.number(),
});
export type HistogramBin = z.infer<typeof histogramBin>;

export const columnProfile = z.strictObject({
  name: z.string(),
  type: z.string(),
  rows: z.number(),
  nulls: z.number(),
  distinct: z.number(),
  min: z.string().nullable(),
  max: z.string().nullable(),
  /**
   * Numbers, dates and timestamps: equal-width bins over their range (empty bins included), as
   * many as the data supports (profile-bins.ts); the most frequent values otherwise, and for a
   * column of one value.
   */
  histogram: z.array(histogramBin),
});
export type ColumnProfile = z.infer<typeof columnProfile>;

export const profileResult = z.strictObject({
  nodeId: z.string(),
  rows: z.number(),
  columns: z.array(columnProfile),
  elapsedMs: z.number(),
  /** Set by the designer's API: the revision its warm session keeps the document under, for the next request's edits. */
  revision: z.string().optional(),
});
export type ProfileResult = z.infer<typeof profileResult>;
