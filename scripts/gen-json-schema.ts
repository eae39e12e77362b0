// Writes the JSON Schema of the pipeline file into schema/, where pipeline files point with
// "$schema" so editors validate them. test/unit/pipeline/json-schema.test.ts fails when the
// committed schema is out of date: run `npm run schema`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pipelineJsonSchema } from '../shared/pipeline/json-schema';
import { PIPELINE_SCHEMA_PATH } from '../shared/pipeline/schema';

export function jsonSchemaText(): string {
  return JSON.stringify(pipelineJsonSchema(), null, 2) + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = fileURLToPath(new URL(`../${PIPELINE_SCHEMA_PATH}`, import.meta.url));
  writeFileSync(out, jsonSchemaText());
  process.stdout.write(`wrote ${out}\n`);
}
