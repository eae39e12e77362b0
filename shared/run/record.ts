import { z } from 'zod';
import { nodeStatus, runOutcome } from './events';

/**
 * The run record (DESIGN, "Audit trail"): written to `.weir/runs/<run id>.json` and appended
 * to the hash-chained audit log. Stored records are never rewritten: older versions are
 * migrated only when read for display (shared/run/read.ts), never for what is verified.
 * Any change to the shape, even a new optional field, is a new version with a migration.
 */
export const RUN_RECORD_FORMAT = 'weir.run';
/** The newest run record version this build reads and writes. */
export const RUN_RECORD_VERSION = 3;
export const RUN_RECORD_SCHEMA_PATH = `schema/weir.run.v${RUN_RECORD_VERSION}.schema.json`;

/** One object (file or S3 object) a node read, so the run can be traced to exact inputs. */
export const inputObject = z.strictObject({
  uri: z.string(),
  size: z.number(),
  /** S3 ETag / VersionId, or a content hash for local files. */
  etag: z.string().optional(),
  versionId: z.string().optional(),
  sha256: z.string().optional(),
  cacheHit: z.boolean().optional(),
});
export type InputObject = z.infer<typeof inputObject>;

export const outputObject = z.strictObject({
  uri: z.string(),
  size: z.number().optional(),
  sha256: z.string().optional(),
  rows: z.number().optional(),
});
export type OutputObject = z.infer<typeof outputObject>;

export const checkResult = z.strictObject({
  /** The rule's name (its own, or `<type>_<column>`). */
  rule: z.string(),
  severity: z.enum(['error', 'warn']),
  passed: z.boolean(),
  /** Rows that break the rule; 1 for a failed row_count (as dbt counts a table-level test). */
  failingRows: z.number(),
  /** Up to 5 failing rows, all columns, sorted, values as JSON. */
  sample: z.array(z.record(z.string(), z.unknown())),
  description: z.string().optional(),
  /** not_null, unique, accepted_values, range, row_count, relationship, regex, expression, query. */
  type: z.string().optional(),
  columns: z.array(z.string()).optional(),
  /** One line a person reads: what failed and against what. */
  message: z.string().optional(),
});
export type CheckResult = z.infer<typeof checkResult>;

export const nodeRecordV1 = z.strictObject({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  status: nodeStatus,
  rows: z.number().nullable(),
  durationMs: z.number(),
  /** Order-independent hash of the node's rows (and its column names and types). */
  outputHash: z.string().nullable(),
  /** True when the result came from the node cache instead of being computed. */
  cached: z.boolean(),
  cacheKey: z.string().optional(),
  error: z.string().optional(),
  /** Requests retried while the node ran (HTTP pages, S3 operations), each also a `node_warning` event. */
  retries: z.number().int().optional(),
  inputs: z.array(inputObject).optional(),
  outputs: z.array(outputObject).optional(),
  checks: z.array(checkResult).optional(),
  /**
   * For a sink that staged an output: whether the run's publish phase made it visible
   * (`published`), threw it away (`discarded`: another node failed, or the run was cancelled,
   * before publishing), failed to publish it, or cannot tell (`uncertain`: the store did not
   * answer whether the last write happened).
   */
  publish: z.enum(['published', 'discarded', 'failed', 'uncertain']).optional(),
  /** What the node warned about while it ran (shown live as node_warning events too). */
  warnings: z.array(z.string()).optional(),
});

/**
 * Version 3 (issue #20, the run timeline): when the node started and finished by the engine's
 * clock (ISO 8601, as the run's own times and the events' `at`). A node that never ran (skipped,
 * not reached) has neither; one that is cancelled or fails while running has both.
 */
export const nodeRecord = nodeRecordV1.extend({
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /**
   * The ids of the nodes it read, as the run's plan had them: the timeline's critical path
   * follows these, not the edges of whatever document is open when the record is shown.
   * Absent in records written before it was kept.
   */
  upstream: z.array(z.string()).optional(),
});
export type NodeRecord = z.infer<typeof nodeRecord>;

/** How the run published its sinks (DESIGN, "Running": all-or-nothing by default). */
export const publishingRecord = z.strictObject({
  mode: z.enum(['all', 'partial']),
  /** Sinks (by name) whose output became visible, in the order they were published. */
  published: z.array(z.string()),
  /** Sinks whose staged output was thrown away. */
  discarded: z.array(z.string()),
  /** Sinks whose publish failed or whose outcome is uncertain. */
  failed: z.array(z.string()),
  /** A cancel (or signal) arrived during the publish phase, after these were published. */
  cancelledDuringPublish: z.boolean().optional(),
});
export type PublishingRecord = z.infer<typeof publishingRecord>;

export const runRecordV1 = z.strictObject({
  format: z.literal(RUN_RECORD_FORMAT),
  version: z.literal(1),
  runId: z.string().min(1),
  pipeline: z.strictObject({
    name: z.string(),
    /** Relative to the workspace root, with forward slashes. */
    file: z.string(),
    sha256: z.string(),
    gitCommit: z.string().nullable(),
    gitDirty: z.boolean().nullable(),
  }),
  environment: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  selection: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  status: runOutcome,
  user: z.string(),
  host: z.string(),
  weirVersion: z.string(),
  duckdbVersion: z.string(),
  nodes: z.array(nodeRecordV1),
  /** Present when the run staged at least one sink. */
  publishing: publishingRecord.optional(),
  /** Problems that did not fail the run, such as an OpenLineage endpoint that did not answer. */
  warnings: z.array(z.string()).optional(),
});
export type RunRecordV1 = z.infer<typeof runRecordV1>;

/**
 * Version 2 (issue #18 item 4): `user` is the OS account the run ran as, never a free
 * variable; `userHint` is what WEIR_USER said (a display name, recorded apart); `reason` is
 * `weir run --reason` (or the designer's Reason field). Version 1 records read as version 2
 * with neither (their `user` may have come from WEIR_USER).
 */
export const runRecordV2 = runRecordV1.extend({
  version: z.literal(2),
  /** WEIR_USER when it was set: a display hint beside the OS account, never instead of it. */
  userHint: z.string().optional(),
  /** Why the run was made (`weir run --reason`); a policy may require it in protected environments. */
  reason: z.string().optional(),
  /**
   * The lot a partitioned pipeline's run was for (docs/lots.md): the partition key and the lot's
   * value. Release states, signatures and evidence packages are kept by it (docs/gxp.md).
   */
  lot: z.strictObject({ key: z.string(), value: z.string() }).optional(),
});
export type RunRecordV2 = z.infer<typeof runRecordV2>;

/**
 * Version 3 (issue #20): each node's `startedAt` and `finishedAt`, for the designer's run
 * timeline. Version 2 records read as version 3 without them (the timeline says so).
 */
export const runRecordV3 = runRecordV2.extend({
  version: z.literal(3),
  nodes: z.array(nodeRecord),
});
export type RunRecord = z.infer<typeof runRecordV3>;

/** Any stored version, for the published JSON Schema of audit entries. */
export const runRecordStored = z.union([runRecordV1, runRecordV2, runRecordV3]);
