import { z } from 'zod';

/**
 * The review report (issue #16): what a change to a pipeline does to its data, base vs head.
 * `weir review --json` prints it, `--html` renders it, and the designer's Changes tab shows
 * it; all three come from the engine's one `review` method, so the same change gives the same
 * report (only `generatedAt`/`generatedBy` may differ). Values are JSON-safe: bigints beyond
 * 2^53 and decimals as strings, dates as ISO strings, as the preview gives them.
 */
export const REVIEW_FORMAT = 'weir.review';
export const REVIEW_VERSION = 1;
export const REVIEW_SCHEMA_PATH = `schema/weir.review.v${REVIEW_VERSION}.schema.json`;

export const reviewVerdict = z.enum(['breaking', 'non_breaking', 'none']);
export type ReviewVerdict = z.infer<typeof reviewVerdict>;

export const reviewColumn = z.strictObject({ name: z.string(), type: z.string() });

/** One column of one side: the profile diff compares two of these. */
export const reviewColumnProfile = z.strictObject({
  type: z.string(),
  rows: z.number(),
  nulls: z.number(),
  distinct: z.number(),
  min: z.string().nullable(),
  max: z.string().nullable(),
  /** Numeric columns only. */
  mean: z.number().nullable(),
  /** The most frequent values (up to 5), most frequent first. */
  top: z.array(z.strictObject({ value: z.string().nullable(), count: z.number() })),
});
export type ReviewColumnProfile = z.infer<typeof reviewColumnProfile>;

export const reviewCheckSide = z.strictObject({ passed: z.boolean(), failingRows: z.number() });

export const reviewCheck = z.strictObject({
  rule: z.string(),
  /** The name of the check node that holds the rule. */
  node: z.string(),
  base: reviewCheckSide.nullable(),
  head: reviewCheckSide.nullable(),
  change: z.enum(['newly_failing', 'newly_passing', 'still_failing', 'still_passing', 'added', 'removed']),
});
export type ReviewCheck = z.infer<typeof reviewCheck>;

export const reviewValues = z.strictObject({
  /** The key the rows were matched by; null: no key, a row-multiset diff (EXCEPT ALL both ways). */
  key: z.array(z.string()).nullable(),
  keySource: z.enum(['unique_check', 'option']).nullable(),
  onlyBase: z.number(),
  onlyHead: z.number(),
  /** Keyed: rows whose key is on both sides with some other column different; unkeyed: 0. */
  changed: z.number(),
  same: z.number(),
  /** Keyed: per column present on both sides, the matched rows where it differs (IS DISTINCT FROM). */
  columns: z.array(z.strictObject({ column: z.string(), mismatches: z.number() })),
  /** Up to 10 changed rows side by side, ordered by key. */
  sample: z.array(z.strictObject({
    key: z.record(z.string(), z.unknown()),
    base: z.record(z.string(), z.unknown()),
    head: z.record(z.string(), z.unknown()),
  })),
});
export type ReviewValues = z.infer<typeof reviewValues>;

export const reviewNode = z.strictObject({
  /** The node's stable id. */
  id: z.string(),
  /** Its name in head (in base for a removed node). */
  name: z.string(),
  kind: z.string(),
  /** direct: its own SQL, config or a parameter it reads changed; downstream: only an input did. */
  change: z.enum(['direct', 'downstream', 'added', 'removed']),
  classification: z.enum(['breaking', 'non_breaking']),
  /** Why, in words a reviewer reads ("column yield_pct retyped DOUBLE → DECIMAL(5,1)"). */
  reasons: z.array(z.string()),
  schema: z.strictObject({
    added: z.array(reviewColumn),
    removed: z.array(reviewColumn),
    retyped: z.array(z.strictObject({ name: z.string(), from: z.string(), to: z.string() })),
  }),
  rows: z.strictObject({ base: z.number().nullable(), head: z.number().nullable() }),
  profile: z.array(z.strictObject({ column: z.string(), base: reviewColumnProfile.nullable(), head: reviewColumnProfile.nullable() })),
  values: reviewValues.nullable(),
  checks: z.array(reviewCheck),
  /** A side that failed to compute (the message, secrets masked); the rest of the node is what could be computed. */
  error: z.string().nullable(),
});
export type ReviewNode = z.infer<typeof reviewNode>;

export const reviewInputObject = z.strictObject({
  /** The name of the source node that reads it. */
  node: z.string(),
  uri: z.string(),
  size: z.number(),
  sha256: z.string().optional(),
  etag: z.string().optional(),
  /** Against the base run record: the object is the same, its content changed, or it is gone. */
  status: z.enum(['same', 'changed', 'missing']),
});
export type ReviewInputObject = z.infer<typeof reviewInputObject>;

export const reviewReport = z.strictObject({
  format: z.literal(REVIEW_FORMAT),
  version: z.literal(REVIEW_VERSION),
  generatedAt: z.string(),
  /** user@host, as run records name who ran. */
  generatedBy: z.string(),
  weirVersion: z.string(),
  duckdbVersion: z.string(),
  pipeline: z.strictObject({
    /** Workspace-relative path of the pipeline file. */
    file: z.string(),
    name: z.string(),
  }),
  base: z.strictObject({ rev: z.string(), commit: z.string(), label: z.string() }),
  head: z.strictObject({
    /** null: the working copy (or the designer's unsaved document). */
    rev: z.string().nullable(),
    commit: z.string().nullable(),
    dirty: z.boolean(),
    label: z.string(),
  }),
  inputs: z.strictObject({
    mode: z.enum(['pinned', 'current']),
    baseRunId: z.string().nullable(),
    fallbackReason: z.string().nullable(),
    objects: z.array(reviewInputObject),
  }),
  summary: z.strictObject({
    verdict: reviewVerdict,
    breaking: z.number(),
    nonBreaking: z.number(),
    /** Nodes neither changed nor downstream of a change: not computed. */
    unchanged: z.number(),
    checksNewlyFailing: z.number(),
    checksNewlyPassing: z.number(),
  }),
  /** Breaking first, then in graph order. */
  nodes: z.array(reviewNode),
});
export type ReviewReport = z.infer<typeof reviewReport>;

/** What the engine's review reports while it works (the designer's progress bar, the CLI's stderr). */
export interface ReviewProgress {
  phase: string;
  node?: string;
  done: number;
  total: number;
}
