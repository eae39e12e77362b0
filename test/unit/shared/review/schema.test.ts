import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { generatedSchemas } from '../../../../scripts/gen-json-schema';
import { REVIEW_SCHEMA_PATH, reviewReport } from '../../../../shared/review/schema';
import { sampleReport } from './sample-report';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe('the review report schema (issue #16)', () => {
  it('the committed JSON Schema is the generated one (run `npm run schema` when this fails)', () => {
    const generated = generatedSchemas().find((s) => s.path === REVIEW_SCHEMA_PATH);
    expect(generated).toBeDefined();
    expect(readFileSync(`${root}/${REVIEW_SCHEMA_PATH}`, 'utf8')).toBe(generated!.text);
  });

  it('accepts a full report in zod and in the JSON Schema, and refuses what is not one', () => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(`${root}/${REVIEW_SCHEMA_PATH}`, 'utf8')));
    const r = sampleReport();
    expect(reviewReport.parse(r)).toEqual(r);
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...r, version: 2 })).toBe(false);
    expect(validate({ ...r, summary: { ...r.summary, verdict: 'maybe' } })).toBe(false);
    expect(reviewReport.safeParse({ ...r, surprise: 1 }).success).toBe(false);
  });
});
