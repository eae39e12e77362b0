import { z } from 'zod';
import { AUDIT_ENTRY_SCHEMA_PATH, AUDIT_ENTRY_VERSION, auditEntryV2 } from './audit-entry';
import { RUN_EVENTS_SCHEMA_PATH, RUN_EVENTS_VERSION, runEvent } from './events';
import { RUN_RECORD_SCHEMA_PATH, RUN_RECORD_VERSION, runRecordV3 } from './record';

/**
 * The JSON Schemas of what a run leaves and says, shipped in schema/ for tools that read
 * them (a LIMS import, a dashboard, an auditor's script). Built from the same zod schemas the
 * readers use; scripts/gen-json-schema.ts writes them.
 */
function jsonSchema(model: z.ZodType, path: string, title: string): Record<string, unknown> {
  const schema = z.toJSONSchema(model, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: `https://weir.dev/${path}`, title };
}

export const runJsonSchemas: readonly { path: string; build: () => Record<string, unknown> }[] = [
  { path: RUN_RECORD_SCHEMA_PATH, build: () => jsonSchema(runRecordV3, RUN_RECORD_SCHEMA_PATH, `Weir run record (version ${RUN_RECORD_VERSION})`) },
  { path: RUN_EVENTS_SCHEMA_PATH, build: () => jsonSchema(runEvent, RUN_EVENTS_SCHEMA_PATH, `Weir run event (version ${RUN_EVENTS_VERSION})`) },
  { path: AUDIT_ENTRY_SCHEMA_PATH, build: () => jsonSchema(auditEntryV2, AUDIT_ENTRY_SCHEMA_PATH, `Weir audit log entry (version ${AUDIT_ENTRY_VERSION})`) },
];
