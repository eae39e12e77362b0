import { WeirError } from '../../../shared/errors';
import type { EngineContext } from '../context';
import { withNodeRelation, type NodeRequest } from './preview';
import type { PreviewSession } from './preview-session';
import { describeColumns } from '../duckdb/relation-stats';

export interface RelationSchema {
  nodeId: string;
  name: string;
  columns: { name: string; type: string }[];
}

/**
 * The columns of a node's result, without computing its rows (DESCRIBE binds the query
 * only; a warm session keeps what it made). The SQL editor asks for each input of the node
 * being edited, in the background.
 */
export async function describeNode(engine: EngineContext, req: NodeRequest, session?: PreviewSession): Promise<RelationSchema> {
  const node = req.pipeline.nodes.find((n) => n.id === req.nodeId);
  if (!node) throw new WeirError('usage', `no node with id "${req.nodeId}"`);
  return withNodeRelation(engine, req, async (conn, relation) => ({ nodeId: node.id, name: node.name, columns: await describeColumns(conn, relation) }), session);
}

/** Schemas of every input of a node, for completion in its SQL editor. */
export async function describeInputs(engine: EngineContext, req: NodeRequest, session?: PreviewSession): Promise<RelationSchema[]> {
  const node = req.pipeline.nodes.find((n) => n.id === req.nodeId);
  if (!node) throw new WeirError('usage', `no node with id "${req.nodeId}"`);
  const out: RelationSchema[] = [];
  for (const id of node.inputs) out.push(await describeNode(engine, { ...req, nodeId: id }, session));
  return out;
}
