// Writes the JSON Schemas into schema/: the pipeline file's (pipeline files point at it with
// "$schema" so editors validate them), the workspace file's, and the run record's, the run
// events' and the audit log entry's, and the review report's (shared/review/). test/unit/pipeline/json-schema.test.ts,
// test/unit/shared/run/json-schema.test.ts and test/unit/shared/workspace/schema.test.ts fail
// when a committed schema is out of date: run `npm run schema`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { signersJsonSchema } from '../shared/gxp/json-schema';
import { SIGNERS_SCHEMA_PATH } from '../shared/gxp/signers';
import { pipelineJsonSchema } from '../shared/pipeline/json-schema';
import { PIPELINE_SCHEMA_PATH } from '../shared/pipeline/schema';
import { reviewJsonSchema } from '../shared/review/json-schema';
import { REVIEW_SCHEMA_PATH } from '../shared/review/schema';
import { runJsonSchemas } from '../shared/run/json-schema';
import { workspaceJsonSchema } from '../shared/workspace/json-schema';
import { WORKSPACE_SCHEMA_PATH } from '../shared/workspace/schema';

const text = (schema: Record<string, unknown>) => JSON.stringify(schema, null, 2) + '\n';

export function jsonSchemaText(): string {
  return text(pipelineJsonSchema());
}

/** Every schema file in schema/, by its path from the repository root, with its text. */
export function generatedSchemas(): { path: string; text: string }[] {
  return [
    { path: PIPELINE_SCHEMA_PATH, text: jsonSchemaText() },
    ...runJsonSchemas.map((s) => ({ path: s.path, text: text(s.build()) })),
    { path: WORKSPACE_SCHEMA_PATH, text: text(workspaceJsonSchema()) },
    { path: REVIEW_SCHEMA_PATH, text: text(reviewJsonSchema()) },
    { path: SIGNERS_SCHEMA_PATH, text: text(signersJsonSchema()) },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const s of generatedSchemas()) {
    const out = fileURLToPath(new URL(`../${s.path}`, import.meta.url));
    writeFileSync(out, s.text);
    process.stdout.write(`wrote ${out}\n`);
  }
}
