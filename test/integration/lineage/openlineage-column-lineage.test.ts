import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import type { OlRunEvent } from '../../../src-main/engine/audit/lineage/events';
import { runPipelineFile } from '../../support/engine';
import { TEMPLATE_PIPELINE, copyTemplate } from '../../support/templates';

// The COMPLETE event of a template run carries, for each published dataset, OpenLineage's
// `schema` and `columnLineage` facets, valid against the project's own JSON Schemas
// (vendored unchanged in test/fixtures/openlineage, see SOURCE.md).

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/openlineage', name), 'utf8')) as object;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(fixture('OpenLineage.json'));
ajv.addSchema(fixture('ColumnLineageDatasetFacet.json'));
ajv.addSchema(fixture('SchemaDatasetFacet.json'));
const validator = (ref: string) => {
  const v = ajv.getSchema(ref);
  if (!v) throw new Error(`no schema ${ref}`);
  return v;
};
const columnLineageSchema = validator('https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet');
const schemaSchema = validator('https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet');
const runEventSchema = validator('https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent');

interface InputField {
  namespace: string;
  name: string;
  field: string;
  transformations: { type: string }[];
}

describe('OpenLineage column facets', () => {
  it('every output dataset of a template run has schema and columnLineage facets that the OpenLineage schemas accept', async () => {
    const ws = copyTemplate('cgt-batch-release', { prefix: 'weir-ol-columns-' });
    const env: Record<string, string> = { WEIR_OPENLINEAGE_FILE: 'lineage/events.jsonl' };
    const outcome = await runPipelineFile({ file: join(ws, TEMPLATE_PIPELINE['cgt-batch-release']), secrets: (n) => env[n] });
    expect(outcome.error).toBeNull();
    const events = readFileSync(join(ws, 'lineage/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as OlRunEvent);
    const complete = events.find((e) => e.eventType === 'COMPLETE')!;
    expect(runEventSchema(complete), JSON.stringify(runEventSchema.errors)).toBe(true);
    expect(complete.outputs.length).toBeGreaterThan(2);
    for (const out of complete.outputs) {
      const facets = out.facets as { schema: unknown; columnLineage: unknown };
      expect(schemaSchema(facets.schema), `${out.name}: ${JSON.stringify(schemaSchema.errors)}`).toBe(true);
      expect(columnLineageSchema(facets.columnLineage), `${out.name}: ${JSON.stringify(columnLineageSchema.errors)}`).toBe(true);
    }
    const release = complete.outputs.find((o) => o.name === join(ws, 'data/curated/batch_release.parquet'))!;
    const { schema, columnLineage } = release.facets as { schema: { fields: { name: string; type?: string }[] }; columnLineage: { fields: Record<string, { inputFields: InputField[] }> } };
    // The published columns, in order, with DuckDB's types.
    expect(schema.fields.slice(0, 3)).toEqual([
      { name: 'batch_id', type: 'VARCHAR', ordinal_position: 1 },
      { name: 'product', type: 'VARCHAR', ordinal_position: 2 },
      { name: 'donor_id', type: 'VARCHAR', ordinal_position: 3 },
    ]);
    expect(schema.fields.map((f) => f.name)).toContain('release_status');
    expect(Object.keys(columnLineage.fields)).toEqual(schema.fields.map((f) => f.name));
    // Hand-checked from the template's SQL: the viability value flows from the LIMS result, as a field of the file the run read.
    const assays = join(ws, 'data/raw/assays.csv');
    const viability = columnLineage.fields.mean_viability_pct!.inputFields;
    expect(viability).toContainEqual({ namespace: 'file', name: assays, field: 'result', transformations: [{ type: 'DIRECT' }] });
    expect(viability).toContainEqual({ namespace: 'file', name: assays, field: 'unit', transformations: [{ type: 'INDIRECT' }] });
    expect(viability.filter((f) => f.transformations[0]!.type === 'DIRECT').map((f) => f.field)).toEqual(['result']);
    // Release status: no value flows; the specification's limits decide it.
    const status = columnLineage.fields.release_status!.inputFields;
    expect(status.filter((f) => f.transformations[0]!.type === 'DIRECT')).toEqual([]);
    expect(status).toContainEqual({ namespace: 'file', name: join(ws, 'data/raw/specs.csv'), field: 'min_value', transformations: [{ type: 'INDIRECT' }] });
    // A second run that takes its nodes from the cache describes the same columns the same way.
    const again = await runPipelineFile({ file: join(ws, TEMPLATE_PIPELINE['cgt-batch-release']), secrets: (n) => env[n] });
    expect(again.error).toBeNull();
    expect(again.record.nodes.some((n) => n.cached)).toBe(true);
    const events2 = readFileSync(join(ws, 'lineage/events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as OlRunEvent);
    const release2 = events2.filter((e) => e.eventType === 'COMPLETE')[1]!.outputs.find((o) => o.name === release.name)!;
    expect((release2.facets as { columnLineage: unknown }).columnLineage).toEqual(columnLineage);
    // Every dataset a field names is one of the event's inputs.
    const inputs = new Set(complete.inputs.map((i) => `${i.namespace}\0${i.name}`));
    for (const f of Object.values(columnLineage.fields).flatMap((x) => x.inputFields)) expect(inputs.has(`${f.namespace}\0${f.name}`)).toBe(true);
  });

  it('a schema validator that is given a broken facet says so (the check above is not vacuous)', () => {
    expect(columnLineageSchema({ _producer: 'x', _schemaURL: 'https://x', fields: { a: { inputFields: [{ namespace: 'file' }] } } })).toBe(false);
    expect(schemaSchema({ _producer: 'x', _schemaURL: 'https://x', fields: [{ type: 'INT' }] })).toBe(false);
  });
});
