import { WeirError } from '../../../shared/errors';
import { queryRows } from '../duckdb/session';
import { ident } from '../duckdb/sql';
import { withNodeRelation, type NodeRequest } from './preview';

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
    const cols = await queryRows(conn, `SELECT column_name, column_type FROM (DESCRIBE ${ident(relation)})`);
    return { nodeId: node.id, name: node.name, columns: cols.map((c) => ({ name: String(c.column_name), type: String(c.column_type) })) };
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
