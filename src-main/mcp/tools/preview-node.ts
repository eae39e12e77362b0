import { z } from 'zod';
import { capRows, DEFAULT_PREVIEW_ROWS, MAX_CELL_CHARS, MAX_PREVIEW_ROWS } from './cells';
import { defineTool } from './define';
import { documentArg, documentOf, environmentArg, nodeArg, nodeOf, paramsArg, pathArg } from './common';

export const previewNode = defineTool({
  name: 'preview_node',
  title: 'Preview a node',
  description:
    `The first rows of one node (at most ${MAX_PREVIEW_ROWS}; ${DEFAULT_PREVIEW_ROWS} by default), made as the designer's preview makes them: sources read, nothing written, sinks never run. ` +
    `Cells longer than ${MAX_CELL_CHARS} characters are cut. totalRows is the node's whole row count.`,
  input: {
    path: pathArg,
    node: nodeArg,
    pipeline: documentArg,
    limit: z.number().int().min(1).max(MAX_PREVIEW_ROWS).optional(),
    environment: environmentArg,
    params: paramsArg,
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
  async run({ path, node, pipeline, limit, environment, params }, { door, signal }) {
    const doc = await documentOf(door, path, pipeline);
    const target = nodeOf(doc, node);
    const shown = limit ?? DEFAULT_PREVIEW_ROWS;
    const r = await door.call('pipeline.preview', { root: door.root, path, pipeline: doc, nodeId: target.id, limit: shown, environment, params, count: true }, signal);
    const { rows, truncatedCells } = capRows(r.rows, shown);
    return { node: target.name, columns: r.columns, rows, shownRows: rows.length, totalRows: r.rowCount, truncatedCells };
  },
});
