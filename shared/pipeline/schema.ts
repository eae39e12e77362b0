import { z } from 'zod';
import { identifier } from '../nodes/common';
import { partitionsSpec } from './partitions';
import { chartSpec } from '../chart/spec';
import { annotationsSpec } from './annotations';

export const PIPELINE_FORMAT = 'weir.pipeline';
/** The newest pipeline file version this build reads and writes. */
export const PIPELINE_VERSION = 1;
export const PIPELINE_SCHEMA_PATH = 'schema/weir.pipeline.v1.schema.json';

export const nodeId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'expected a node id of letters, digits, "_" or "-" (at most 64)');

export const paramType = z.enum(['string', 'integer', 'number', 'boolean', 'date']);
export type ParamType = z.infer<typeof paramType>;

export const paramSpec = z.strictObject({
  type: paramType,
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  description: z.string().optional(),
});
export type ParamSpec = z.infer<typeof paramSpec>;

/** The shape common to every node; `config` is checked against the kind's own schema. */
export const nodeBase = z.strictObject({
  id: nodeId,
  name: identifier,
  kind: z.string().min(1),
  description: z.string().optional(),
  inputs: z.array(nodeId).default([]),
  config: z.record(z.string(), z.unknown()),
});

/**
 * A node's place on the canvas; `chart` is the preview chart saved on the node (the Chart tab):
 * the view of the node, kept in the layout with its position so that a chart change is a
 * layout-only change a reviewer reads apart from what the nodes compute.
 */
export const position = z.strictObject({ x: z.number(), y: z.number(), chart: chartSpec.optional() });

export const pipelineV1 = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(PIPELINE_FORMAT),
  version: z.literal(PIPELINE_VERSION),
  name: identifier,
  description: z.string().optional(),
  params: z.record(identifier, paramSpec).default({}),
  /**
   * When sinks publish: `all` (the default) only once every node and blocking check of the run
   * succeeded, all together at the end; `partial` lets the healthy branches publish when another
   * branch failed. `weir run --publish` overrides it for one run.
   */
  publish: z.enum(['all', 'partial']).optional(),
  /**
   * A partitioned pipeline (docs/lots.md): the lot key and how each source's lots appear. Each
   * lot runs, checks and publishes on its own; `weir run` runs only new or changed lots.
   */
  partitions: partitionsSpec.optional(),
  nodes: z.array(nodeBase),
  layout: z.record(z.string(), position).default({}),
  /**
   * Sticky notes and frames (annotations.ts). In memory only under this name: the file holds
   * them in `layout.notes` and `layout.frames`, and a top-level `annotations` in a file is refused.
   */
  annotations: annotationsSpec.optional(),
});

export type PipelineNode = z.infer<typeof nodeBase>;
export type Pipeline = z.infer<typeof pipelineV1>;
export type Position = z.infer<typeof position>;
