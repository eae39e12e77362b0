import { z } from 'zod';

/**
 * PROVISIONAL (review-designer): the review report as issue #16's shared contract describes it,
 * so that the designer can be built before review-core commits the real one. review-core's
 * file replaces this one when its branch is merged.
 */

const column = z.strictObject({ name: z.string(), type: z.string() });

export const reviewColumnProfile = z.strictObject({
  type: z.string(),
  rows: z.number(),
  nulls: z.number(),
  distinct: z.number(),
  min: z.string().nullable(),
  max: z.string().nullable(),
  mean: z.number().nullable(),
  top: z.array(z.strictObject({ value: z.string().nullable(), count: z.number() })),
});
export type ReviewColumnProfile = z.infer<typeof reviewColumnProfile>;

const checkSide = z.strictObject({ passed: z.boolean(), failingRows: z.number() }).nullable();

export const reviewCheck = z.strictObject({
  rule: z.string(),
  node: z.string(),
  base: checkSide,
  head: checkSide,
  change: z.enum(['newly_failing', 'newly_passing', 'still_failing', 'still_passing', 'added', 'removed']),
});
export type ReviewCheck = z.infer<typeof reviewCheck>;

const row = z.record(z.string(), z.unknown());

export const reviewValues = z.strictObject({
  key: z.array(z.string()).nullable(),
  keySource: z.enum(['unique_check', 'option']).nullable(),
  onlyBase: z.number(),
  onlyHead: z.number(),
  changed: z.number(),
  same: z.number(),
  columns: z.array(z.strictObject({ column: z.string(), mismatches: z.number() })),
  sample: z.array(z.strictObject({ key: row, base: row, head: row })),
});
export type ReviewValues = z.infer<typeof reviewValues>;

export const reviewNode = z.strictObject({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  change: z.enum(['direct', 'downstream', 'added', 'removed']),
  classification: z.enum(['breaking', 'non_breaking']),
  reasons: z.array(z.string()),
  schema: z.strictObject({
    added: z.array(column),
    removed: z.array(column),
    retyped: z.array(z.strictObject({ name: z.string(), from: z.string(), to: z.string() })),
  }),
  rows: z.strictObject({ base: z.number().nullable(), head: z.number().nullable() }),
  profile: z.array(z.strictObject({ column: z.string(), base: reviewColumnProfile.nullable(), head: reviewColumnProfile.nullable() })),
  values: reviewValues.nullable(),
  checks: z.array(reviewCheck),
  error: z.string().nullable(),
});
export type ReviewNode = z.infer<typeof reviewNode>;

export const reviewReport = z.strictObject({
  format: z.literal('weir.review'),
  version: z.literal(1),
  generatedAt: z.string(),
  generatedBy: z.string(),
  weirVersion: z.string(),
  duckdbVersion: z.string(),
  pipeline: z.strictObject({ file: z.string(), name: z.string() }),
  base: z.strictObject({ rev: z.string(), commit: z.string(), label: z.string() }),
  head: z.strictObject({ rev: z.string().nullable(), commit: z.string().nullable(), dirty: z.boolean(), label: z.string() }),
  inputs: z.strictObject({
    mode: z.enum(['pinned', 'current']),
    baseRunId: z.string().nullable(),
    fallbackReason: z.string().nullable(),
    objects: z.array(
      z.strictObject({
        node: z.string(),
        uri: z.string(),
        size: z.number(),
        sha256: z.string().optional(),
        etag: z.string().optional(),
        status: z.enum(['same', 'changed', 'missing']),
      }),
    ),
  }),
  summary: z.strictObject({
    verdict: z.enum(['breaking', 'non_breaking', 'none']),
    breaking: z.number(),
    nonBreaking: z.number(),
    unchanged: z.number(),
    checksNewlyFailing: z.number(),
    checksNewlyPassing: z.number(),
  }),
  nodes: z.array(reviewNode),
});
export type ReviewReport = z.infer<typeof reviewReport>;
