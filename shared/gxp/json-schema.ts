import { z } from 'zod';
import { SIGNERS_SCHEMA_PATH, SIGNERS_VERSION, signersFileV1 } from './signers';

/** The JSON Schema of a workspace's signers.json (input side: fields with defaults are optional). */
export function signersJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(signersFileV1, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: `https://weir.dev/${SIGNERS_SCHEMA_PATH}`, title: `Weir signers and release policy (format version ${SIGNERS_VERSION})` };
}
