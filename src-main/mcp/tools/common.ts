import { z } from 'zod';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { ToolError, type Door } from '../door/door';

/**
 * Arguments several tools take. Paths are plain strings here on purpose: the API contract and
 * the service's workspace check decide what is inside the workspace, exactly as for the designer.
 */
export const pathArg = z
  .string()
  .max(4096)
  .describe('A pipeline file, relative to the workspace, with forward slashes, as list_pipelines names it (e.g. pipelines/batch_release.weir.json)');
export const documentArg = z
  .record(z.string(), z.unknown())
  .optional()
  .describe('An unsaved pipeline document (the JSON object a .weir.json file holds), used instead of the file on disk');
export const nodeArg = z.string().min(1).max(200).describe("A node's name or id");
export const environmentArg = z.string().max(128).optional().describe("The environment whose connections sources read (default: the workspace's default)");
export const paramsArg = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .optional()
  .describe('Run parameter values by name (DuckDB variables in the SQL)');

/** The document a tool is about: the one given, or the file as the designer reads it. */
export async function documentOf(door: Door, path: string, given: Record<string, unknown> | undefined): Promise<Pipeline> {
  // A given document is checked by the API method it is sent to, like any designer edit.
  if (given !== undefined) return given as unknown as Pipeline;
  return (await door.call('pipeline.read', { root: door.root, path })).pipeline;
}

/** A node of the document by name or id; an unknown one is refused naming the nodes there are. */
export function nodeOf(doc: Pipeline, node: string): { id: string; name: string } {
  const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  const hit = nodes.find((n) => n?.name === node) ?? nodes.find((n) => n?.id === node);
  if (hit) return { id: hit.id, name: hit.name };
  const names = nodes.slice(0, 50).map((n) => n?.name);
  throw new ToolError(`no node named "${node}" in ${doc.name ?? 'the pipeline'} (its nodes: ${names.join(', ') || 'none'}${nodes.length > 50 ? ', ...' : ''})`);
}
