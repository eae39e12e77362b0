import { z } from 'zod';
import { nodeKindSpecs } from '../nodes/registry';
import { framesSpec, notesSpec } from './annotations';
import { PIPELINE_VERSION, nodeBase, pipelineV1, position } from './schema';

/**
 * The JSON Schema that ships in schema/ and that files name in `$schema`, so editors
 * validate them. Built from the same zod schemas, with each node's config tied to its kind.
 */
export function pipelineJsonSchema(): Record<string, unknown> {
  // The pipeline and node models themselves, narrowed: each node's config tied to its kind.
  const nodeVariants = nodeKindSpecs.map((spec) => nodeBase.extend({ kind: z.literal(spec.kind), config: spec.config }));
  const [first, ...rest] = nodeVariants;
  const node = rest.length ? z.discriminatedUnion('kind', [first!, ...rest] as never) : first!;
  // The file's layout: node positions by id, and the notes and frames the document holds as `annotations`.
  const layout = z.object({ notes: notesSpec.optional(), frames: framesSpec.optional() }).catchall(position).default({});
  const model = pipelineV1.omit({ annotations: true }).extend({ nodes: z.array(node as z.ZodType), layout });
  const schema = z.toJSONSchema(model, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: `https://weir.dev/schema/weir.pipeline.v${PIPELINE_VERSION}.schema.json`,
    title: `Weir pipeline (format version ${PIPELINE_VERSION})`,
  };
}
