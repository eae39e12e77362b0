import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { PIPELINE_SCHEMA_PATH } from '../../../shared/pipeline/schema';
import { jsonSchemaText } from '../../../scripts/gen-json-schema';
import { findFiles } from '../../support/find-files';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const committed = readFileSync(`${root}/${PIPELINE_SCHEMA_PATH}`, 'utf8');

describe('the committed JSON Schema', () => {
  it('is the one generated from the zod schemas (run `npm run schema` when this fails)', () => {
    expect(committed).toBe(jsonSchemaText());
  });

  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(committed));
  const pipelines = findFiles(root, 'templates', '.weir.json').concat('test/fixtures/pipelines/good.weir.json');

  it.each(pipelines)('accepts %s, and its $schema points at the schema file', (file) => {
    const doc = JSON.parse(readFileSync(`${root}/${file}`, 'utf8'));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const resolved = fileURLToPath(new URL(doc.$schema, pathToFileURL(join(root, file))));
    expect(resolved).toBe(join(root, PIPELINE_SCHEMA_PATH));
  });

  it('refuses a node whose config does not match its kind', () => {
    const doc = JSON.parse(readFileSync(`${root}/test/fixtures/pipelines/good.weir.json`, 'utf8'));
    doc.nodes[2].config.format = 'xlsx';
    expect(validate(doc)).toBe(false);
  });
});
