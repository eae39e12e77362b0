import { z } from 'zod';
import { previewColumn } from '../preview/results';

/** The column graph (shared/lineage/types.ts) and "explain this value" (explain-types.ts) as the API carries them. */

const columnRef = z.strictObject({ node: z.string(), column: z.string() });

export const pipelineLineageDto = z.strictObject({
  format: z.literal('weir.lineage'),
  version: z.literal(1),
  pipeline: z.string(),
  nodes: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      category: z.enum(['source', 'transform', 'check', 'sink']),
      origin: z.string().optional(),
      problem: z.string().optional(),
      columns: z.array(
        z.strictObject({
          name: z.string(),
          type: z.string().optional(),
          direct: z.array(columnRef),
          indirect: z.array(columnRef),
          unknown: z.array(z.string()),
        }),
      ),
    }),
  ),
});

const explainRows = {
  columns: z.array(previewColumn),
  rows: z.array(z.array(z.unknown())),
  total: z.number().int(),
  capped: z.boolean(),
};

export const explanationDto = z.strictObject({
  nodeId: z.string(),
  node: z.string(),
  column: z.string().nullable(),
  matched: z.record(z.string(), z.unknown()),
  cap: z.number().int(),
  steps: z.array(
    z.strictObject({
      nodeId: z.string(),
      node: z.string(),
      kind: z.string(),
      depth: z.number().int(),
      inputs: z.array(
        z.strictObject({
          nodeId: z.string(),
          node: z.string(),
          by: z.array(z.strictObject({ output: z.string(), column: z.string() })),
          rows: z.strictObject(explainRows).optional(),
          untraceable: z.string().optional(),
          stop: z.string().optional(),
          checks: z.array(z.strictObject({ rule: z.string(), severity: z.enum(['error', 'warn']), requirement: z.string(), ...explainRows })).optional(),
        }),
      ),
    }),
  ),
});

/** A row's values as the preview showed them: JSON scalars by column name (bound, never spliced into SQL). */
export const explainRowValues = z.record(z.string().max(300), z.union([z.string().max(100_000), z.number(), z.boolean(), z.null()])).refine((r) => Object.keys(r).length <= 2000, 'at most 2,000 columns');
