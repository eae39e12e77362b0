import { z } from 'zod';
import { nodeKindSpecs, type NodeKindSpec } from '../../../shared/nodes/registry';

/** What an assistant needs to write a node of a kind: what it is for, its inputs, and the JSON Schema of its config. */
export interface NodeKindDescription {
  kind: string;
  label: string;
  category: NodeKindSpec['category'];
  description: string;
  inputs: { min: number; max: number };
  /** What its config fields mean (SQL, columns of an input, paths, a connection), by field path. */
  fields: Record<string, unknown>;
  /** The connection kinds its `connection` field may name. */
  connectionKinds: readonly string[];
  /** The starting config the palette drops (a join's keys still to be picked). */
  defaults: Record<string, unknown>;
  /** The config as files hold it (defaults not yet applied). */
  configSchema: Record<string, unknown>;
}

/**
 * Every node kind this build knows (or the one named), in palette order, from the same
 * definitions the designer's forms and the pipeline file's JSON Schema are made of. Pure.
 */
export function describeNodeKinds(only?: string): NodeKindDescription[] {
  const specs = only === undefined ? nodeKindSpecs : nodeKindSpecs.filter((s) => s.kind === only);
  return specs.map((s) => ({
    kind: s.kind,
    label: s.label,
    category: s.category,
    description: s.summary,
    inputs: { ...s.inputs },
    fields: { ...s.fields } as Record<string, unknown>,
    connectionKinds: s.connectionKinds,
    defaults: s.defaults(),
    configSchema: z.toJSONSchema(s.config, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
  }));
}

/** How a node sits in a pipeline file, for an assistant writing one (README, "The pipeline file"). */
export const NODE_SHAPE =
  'A node in a pipeline file is {"id": stable id, "name": SQL identifier (unique; other nodes\' SQL reads it as a table), "kind", "inputs": [ids of upstream nodes], "config": as configSchema}; ' +
  'a SQL field holds an array of lines; positions go in the top-level "layout" by id, never in the node. The whole file: schema/weir.pipeline.v1.schema.json.';
