import { z } from 'zod';
import { identifier } from '../nodes/common';

/** The designer's review methods (issue #16): pipeline.review, review.cancel, review.progress. */

/**
 * A review's id, chosen by the caller before it starts, so that Cancel works from the first
 * moment (a run's id only exists once the engine has started it).
 */
export const reviewId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a review id: letters, digits, _ and -, at most 64');

/** Value-diff keys chosen by the user, by node name: `{ batch_metrics: ['batch_id'] }`. */
export const reviewKeys = z.record(identifier, z.array(identifier).min(1).max(32));

/** One step of a review in progress, as the engine reports it. */
export const reviewProgress = z.strictObject({
  phase: z.string(),
  node: z.string().optional(),
  done: z.number(),
  total: z.number(),
});
export type ReviewProgressDto = z.infer<typeof reviewProgress>;
