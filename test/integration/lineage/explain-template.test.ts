import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Explanation } from '../../../shared/lineage';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { testEngine } from '../../support/engine';
import { TEMPLATE_PIPELINE, copyTemplate } from '../../support/templates';

// engine.explain() on the CGT batch-release template: B0007 is REJECTED because its one
// viability result, S000037 (raw: "viability,63.6,%"), is under the 70 % limit
// (data/raw/assays.csv line 38; test/integration/template-batch-release.test.ts lists it).
// Its six LIMS results are S000037..S000042 (lines 38-43); the batch is B0007 of batches.csv.

let file: string;
let pipeline: Pipeline;
const engine = testEngine();

beforeAll(() => {
  const ws = copyTemplate('cgt-batch-release', { prefix: 'weir-explain-' });
  file = join(ws, TEMPLATE_PIPELINE['cgt-batch-release']);
  pipeline = parsePipeline(readFileSync(file, 'utf8')).pipeline;
});

const idOf = (name: string) => pipeline.nodes.find((n) => n.name === name)!.id;
const step = (e: Explanation, node: string) => e.steps.find((s) => s.node === node)!;
const input = (e: Explanation, node: string, from: string) => step(e, node).inputs.find((i) => i.node === from)!;
const column = (rows: { columns: { name: string }[]; rows: unknown[][] }, name: string) => {
  const at = rows.columns.findIndex((c) => c.name === name);
  return rows.rows.map((r) => r[at]);
};

describe('engine.explain() on the CGT template', () => {
  let e: Explanation;
  beforeAll(async () => {
    const preview = await engine.preview({ pipeline, file, nodeId: idOf('batch_release'), limit: 100 });
    const names = preview.columns.map((c) => c.name);
    const row = preview.rows.find((r) => r[names.indexOf('batch_id')] === 'B0007')!;
    expect(row[names.indexOf('release_status')]).toBe('REJECTED');
    e = await engine.explain({ pipeline, file, nodeId: idOf('batch_release'), row: Object.fromEntries(names.map((n, i) => [n, row[i]])), column: 'release_status' });
  });

  it('traces the REJECTED batch to its assay results, the failing viability one among them', () => {
    expect(e.node).toBe('batch_release');
    expect(e.column).toBe('release_status');
    const results = input(e, 'batch_release', 'assay_results');
    expect(results.by).toContainEqual({ output: 'batch_id', column: 'batch_id' });
    expect(results.rows!.total).toBe(6);
    expect(column(results.rows!, 'sample_id').sort()).toEqual(['S000037', 'S000038', 'S000039', 'S000040', 'S000041', 'S000042']);
    const failing = results.rows!.rows.filter((r) => r[results.rows!.columns.findIndex((c) => c.name === 'result_status')] === 'FAIL');
    expect(failing).toHaveLength(1);
    const at = (name: string) => results.rows!.columns.findIndex((c) => c.name === name);
    expect(failing[0]![at('sample_id')]).toBe('S000037');
    expect(failing[0]![at('assay_code')]).toBe('viability');
    expect(failing[0]![at('result_value')]).toBe(63.6);
    expect(failing[0]![at('spec_min')]).toBe(70);
  });

  it('matches the batch in the batch records and the bioreactor KPIs; the spec is read whole', () => {
    expect(column(input(e, 'batch_release', 'batches').rows!, 'batch_id')).toEqual(['B0007']);
    expect(column(input(e, 'batch_release', 'bioreactor_kpis').rows!, 'batch_id')).toEqual(['B0007']);
    expect(input(e, 'batch_release', 'specs').untraceable).toMatch(/no column of "specs" reaches these rows unchanged/);
  });

  it('goes on step by step: the check on the LIMS results, its rules, and the raw rows', () => {
    const checked = input(e, 'assay_results', 'assays_checked');
    expect(checked.rows!.total).toBe(6);
    // The data-quality rules pass for B0007's results: each is listed with no failing row.
    expect(checked.checks!.map((c) => c.rule)).toEqual(expect.arrayContaining(['not_null_batch_id', 'percentages_within_0_100', 'sterility_wording']));
    expect(checked.checks!.every((c) => c.total === 0)).toBe(true);
    // The spec rows of the assays B0007 was tested for: matched on the spec columns assay_results copies.
    const specs = input(e, 'assay_results', 'specs');
    expect(column(specs.rows!, 'assay_code').sort()).toEqual(['cd3_pct', 'endotoxin', 'sterility', 'vector_copy_number', 'viability', 'viable_cell_count']);
    // assays.sample_id is trim(raw_assays.sample_id): a computed value, so the raw rows are not
    // picked out (never guessed) and the step says why.
    expect(input(e, 'assays', 'raw_assays').untraceable).toMatch(/no column of "raw_assays" reaches these rows unchanged/);
    expect(input(e, 'assays', 'raw_assays').rows).toBeUndefined();
  });

  it('matches a grouped row by its GROUP BY keys', async () => {
    // A grouped row: release_summary's (site, product) group is matched by its keys in the check's rows.
    const preview = await engine.preview({ pipeline, file, nodeId: idOf('release_summary'), limit: 100 });
    const names = preview.columns.map((c) => c.name);
    const row = preview.rows[0]!;
    const r = await engine.explain({ pipeline, file, nodeId: idOf('release_summary'), row: Object.fromEntries(names.map((n, i) => [n, row[i]])) });
    const checked = input(r, 'release_summary', 'release_checked');
    expect(checked.by.map((p) => p.column).sort()).toEqual(['product', 'site']);
    const site = row[names.indexOf('site')];
    expect(column(checked.rows!, 'site').every((s) => s === site)).toBe(true);
    expect(checked.rows!.total).toBe(row[names.indexOf('batches')]);
  });
});
