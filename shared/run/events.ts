import { z } from 'zod';

/**
 * Progress of a run or preview, as every shell receives it (IPC, WebSocket, CLI `--json`
 * lines). Events are not stored, so they carry no `format`/`version` of their own: the
 * version is the schema's (`schema/weir.run-events.v1.schema.json`), and a change to an
 * event's shape is a new version of that file.
 */
export const RUN_EVENTS_VERSION = 1;
export const RUN_EVENTS_SCHEMA_PATH = `schema/weir.run-events.v${RUN_EVENTS_VERSION}.schema.json`;

export const nodeStatus = z.enum(['queued', 'running', 'done', 'failed', 'skipped', 'cancelled']);
export type NodeStatus = z.infer<typeof nodeStatus>;

export const runOutcome = z.enum(['succeeded', 'failed', 'cancelled']);

const ofNode = { runId: z.string(), nodeId: z.string(), name: z.string() };

export const runStartedEvent = z.strictObject({
  type: z.literal('run_started'),
  runId: z.string(),
  pipeline: z.string(),
  /** `inputs`: the ids of the nodes each one reads, as planned (the timeline's critical path follows them). */
  nodes: z.array(z.strictObject({ id: z.string(), name: z.string(), kind: z.string(), inputs: z.array(z.string()).optional() })),
  at: z.string(),
});

export const nodeStartedEvent = z.strictObject({ type: z.literal('node_started'), ...ofNode, at: z.string() });

export const nodeRowsEvent = z.strictObject({ type: z.literal('node_rows'), ...ofNode, rows: z.number() });

export const nodeFinishedEvent = z.strictObject({
  type: z.literal('node_finished'),
  ...ofNode,
  rows: z.number().nullable(),
  durationMs: z.number(),
  cached: z.boolean(),
  at: z.string(),
});

export const nodeFailedEvent = z.strictObject({
  type: z.literal('node_failed'),
  ...ofNode,
  error: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  durationMs: z.number(),
  at: z.string(),
});

export const nodeSkippedEvent = z.strictObject({ type: z.literal('node_skipped'), ...ofNode, reason: z.string() });

export const nodeWarningEvent = z.strictObject({ type: z.literal('node_warning'), ...ofNode, message: z.string() });

/** A sink's staged output became visible in the run's publish phase (after every node finished). */
export const nodePublishedEvent = z.strictObject({ type: z.literal('node_published'), ...ofNode, target: z.string(), at: z.string() });

export const runFinishedEvent = z.strictObject({
  type: z.literal('run_finished'),
  runId: z.string(),
  status: runOutcome,
  durationMs: z.number(),
  /** Where the run record was written; null with `--no-record`. */
  recordPath: z.string().nullable(),
  at: z.string(),
});

export const runEvent = z.discriminatedUnion('type', [
  runStartedEvent,
  nodeStartedEvent,
  nodeRowsEvent,
  nodeFinishedEvent,
  nodeFailedEvent,
  nodeSkippedEvent,
  nodeWarningEvent,
  nodePublishedEvent,
  runFinishedEvent,
]);
export type RunEvent = z.infer<typeof runEvent>;
