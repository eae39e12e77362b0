import { z } from 'zod';
import { WORKSPACE_SCHEMA_PATH, WORKSPACE_VERSION, workspaceV1 } from './schema';

/**
 * The JSON Schema of weir.workspace.json, shipped in schema/ so that editors validate the file
 * (`"$schema": "schema/weir.workspace.v1.schema.json"`). Built from the zod schema the engine
 * reads the file with; the input side, so that fields with defaults are optional as in a file.
 */
export function workspaceJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(workspaceV1, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: `https://weir.dev/${WORKSPACE_SCHEMA_PATH}`, title: `Weir workspace (format version ${WORKSPACE_VERSION})` };
}
