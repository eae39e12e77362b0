import { WeirError } from '../../../shared/errors';
import { withNodeRelation, type NodeRequest } from './preview';
import { describeColumns } from './relation-stats';

export interface RelationSchema {
  nodeId: string;
  name: string;
  columns: { name: string; type: string }[];
}

/**
 * The columns of a node's result, without computing its rows (DESCRIBE binds the query
 * only; sources are staged once and then served from the cache). The SQL editor asks for
 * each input of the node being edited, in the background.
 */
export async function describeNode(req: NodeRequest): Promise<RelationSchema> {
  const node = req.pipeline.nodes.find((n) => n.id === req.nodeId);
  if (!node) throw new WeirError('usage', `no node with id "${req.nodeId}"`);
  return withNodeRelation(req, async (conn, relation) => {
    return { nodeId: node.id, name: node.name, columns: await describeColumns(conn, relation) };
  });
}

/** Schemas of every input of a node, for completion in its SQL editor. */
export async function describeInputs(req: NodeRequest): Promise<RelationSchema[]> {
  const node = req.pipeline.nodes.find((n) => n.id === req.nodeId);
  if (!node) throw new WeirError('usage', `no node with id "${req.nodeId}"`);
  const out: RelationSchema[] = [];
  for (const id of node.inputs) out.push(await describeNode({ ...req, nodeId: id }));
  return out;
}
