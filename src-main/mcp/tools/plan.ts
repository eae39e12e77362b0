import { z } from 'zod';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { defineTool } from './define';
import { documentArg, pathArg } from './common';

export const plan = defineTool({
  name: 'plan',
  title: 'Plan a pipeline',
  description:
    'The order the nodes run in and the DuckDB statements each runs, without running anything (what `weir plan --json` prints). ' +
    "select takes dbt's graph operators: name, +name (with upstream), name+ (with downstream), several separated by commas.",
  input: { path: pathArg, pipeline: documentArg, select: z.string().max(2000).optional() },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async run({ path, pipeline, select }, { door }) {
    return door.call('pipeline.plan', { root: door.root, path, pipeline: pipeline as Pipeline | undefined, select });
  },
});
