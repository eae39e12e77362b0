import { z } from 'zod';
import { nodeKindSpecs } from '../nodes/registry';
import { PIPELINE_FORMAT, PIPELINE_VERSION, nodeId, paramSpec, position } from './schema';
import { identifier } from '../nodes/common';

/**
 * The JSON Schema that ships in schema/ and that files name in `$schema`, so editors
 * validate them. Built from the same zod schemas, with each node's config tied to its kind.
 */
export function pipelineJsonSchema(): Record<string, unknown> {
  const nodeVariants = nodeKindSpecs.map((spec) =>
    z.strictObject({
      id: nodeId,
      name: identifier,
      kind: z.literal(spec.kind),
      description: z.string().optional(),
      inputs: z.array(nodeId).default([]),
      config: spec.config,
    }),
  );
  const [first, ...rest] = nodeVariants;
  const node = rest.length ? z.discriminatedUnion('kind', [first!, ...rest] as never) : first!;
  const model = z.strictObject({
    $schema: z.string().optional(),
    format: z.literal(PIPELINE_FORMAT),
    version: z.literal(PIPELINE_VERSION),
    name: identifier,
    description: z.string().optional(),
    params: z.record(identifier, paramSpec).default({}),
    nodes: z.array(node as z.ZodType),
    layout: z.record(z.string(), position).default({}),
  });
  const schema = z.toJSONSchema(model, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: `https://weir.dev/schema/weir.pipeline.v${PIPELINE_VERSION}.schema.json`,
    title: `Weir pipeline (format version ${PIPELINE_VERSION})`,
  };
}
