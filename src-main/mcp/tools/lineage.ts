import { z } from 'zod';
import { findColumn, traceColumn } from '../../../shared/lineage';
import { ToolError } from '../door/door';
import { defineTool } from './define';
import { documentArg, documentOf, environmentArg, nodeArg, nodeOf, paramsArg, pathArg } from './common';

export const lineage = defineTool({
  name: 'lineage',
  title: 'Column lineage',
  description:
    "Column lineage from DuckDB's own parser. With column: every column it is computed from (upstream, the default) or feeds (downstream), through every node, back to the sources; " +
    'direct when the value flows, indirect when it decides rows, groups or a branch (WHERE, JOIN, GROUP BY, CASE). Without column: each column of the node with its direct and indirect inputs.',
  input: {
    path: pathArg,
    node: nodeArg,
    column: z.string().min(1).max(300).optional(),
    direction: z.enum(['upstream', 'downstream']).optional(),
    pipeline: documentArg,
    environment: environmentArg,
    params: paramsArg,
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
  async run({ path, node, column, direction, pipeline, environment, params }, { door, signal }) {
    const doc = await documentOf(door, path, pipeline);
    const target = nodeOf(doc, node);
    const { graph } = await door.call('pipeline.lineage', { root: door.root, path, pipeline: doc, environment, params }, signal);
    if (column === undefined) {
      const n = graph.nodes.find((x) => x.id === target.id);
      if (!n) throw new ToolError(`node "${target.name}" is not in the column graph`);
      return { node: n.name, kind: n.kind, category: n.category, origin: n.origin, problem: n.problem, columns: n.columns };
    }
    const ref = { node: target.name, column };
    const found = findColumn(graph, ref);
    if (typeof found === 'string') throw new ToolError(found);
    return traceColumn(graph, ref, direction ?? 'upstream');
  },
});
