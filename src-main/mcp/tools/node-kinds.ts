import { z } from 'zod';
import { nodeKindNames } from '../../../shared/nodes/registry';
import { ToolError } from '../door/door';
import { describeNodeKinds, NODE_SHAPE } from './kind-descriptions';
import { defineTool } from './define';

export const nodeKinds = defineTool({
  name: 'describe_node_kinds',
  title: 'Describe the node kinds',
  description:
    "Every node kind (or the one named): its label, category, what it does, how many inputs it takes, what its fields mean, a starting config, and the JSON Schema of its config.",
  input: { kind: z.string().max(100).optional().describe('Only this kind (e.g. sql, filter, file_source)') },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async run({ kind }) {
    const kinds = describeNodeKinds(kind);
    if (kind !== undefined && !kinds.length) throw new ToolError(`no node kind "${kind}" (kinds: ${nodeKindNames().join(', ')})`);
    return { node: NODE_SHAPE, kinds };
  },
});
