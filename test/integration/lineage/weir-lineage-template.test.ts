import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ColumnTrace, PipelineLineage } from '../../../shared/lineage';
import { runWeir } from '../../support/cli';
import { TEMPLATE_PIPELINE, copyTemplate } from '../../support/templates';

// `weir lineage` on the CGT batch-release template (the committed CLI bundle). The answers
// below were worked out by hand from the template's SQL (templates/cgt-batch-release):
// - batch_release.mean_viability_pct = round(avg(result_value) FILTER (WHERE assay_code =
//   'viability')) over assay_results grouped by batch_id; result_value comes from
//   assays_checked.result_value <- assays.result_value = try_cast(trim(replace(result, '%',
//   ''))) * CASE WHEN lower(trim(unit)) = 'x10^6 cells' ...: the only source value that flows is
//   raw_assays.result; the unit only picks a CASE branch (indirect).
// - batch_release.release_status = if(f.batch_id is null, 'RELEASED', 'REJECTED'): no value
//   flows; which batches fail is decided by the failing CTE's WHERE on results and failures,
//   i.e. by assay_results.result_status, itself decided by the results, units and the
//   specification's limits. The batch's site or the bioreactor's pH play no part.

const ws = copyTemplate('cgt-batch-release', { prefix: 'weir-lineage-' });
const file = join(ws, TEMPLATE_PIPELINE['cgt-batch-release']);

async function trace(target: string, ...flags: string[]): Promise<{ trace: ColumnTrace; graph: PipelineLineage }> {
  const res = await runWeir(['lineage', file, target, '--json', ...flags]);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as { trace: ColumnTrace; graph: PipelineLineage };
}

const sources = (t: ColumnTrace, via: 'direct' | 'indirect') =>
  t.hits.filter((h) => h.via === via && h.node.startsWith('raw_')).map((h) => `${h.node}.${h.column}`).sort();

describe('weir lineage on the CGT template', () => {
  it('mean viability comes, as a value, from the LIMS result only; the unit and the keys decide the rest', async () => {
    const { trace: t, graph } = await trace('batch_release.mean_viability_pct');
    expect(t.unknown).toEqual([]);
    expect(sources(t, 'direct')).toEqual(['raw_assays.result']);
    const direct = t.hits.filter((h) => h.via === 'direct').map((h) => `${h.node}.${h.column}`);
    expect(direct).toEqual(expect.arrayContaining(['assay_results.result_value', 'assays_checked.result_value', 'assays.result_value']));
    expect(sources(t, 'indirect')).toEqual(expect.arrayContaining(['raw_assays.unit', 'raw_assays.assay', 'raw_assays.batch_id', 'raw_specs.assay_code', 'raw_batches.batch_id']));
    expect(sources(t, 'indirect')).not.toContain('raw_bioreactor.ph');
    // The graph is every node, in order, sources first; every column of every node is resolved.
    expect(graph.nodes).toHaveLength(17);
    expect(graph.nodes.flatMap((n) => n.columns.filter((c) => c.unknown.length).map((c) => `${n.name}.${c.name}`))).toEqual([]);
    expect(graph.nodes.find((n) => n.name === 'raw_assays')).toMatchObject({ category: 'source', origin: 'data/raw/assays.csv' });
  });

  it('release status has no value from any input: the results, units and limits decide it', async () => {
    const { trace: t } = await trace('batch_release.release_status', '--upstream');
    expect(t.hits.filter((h) => h.via === 'direct')).toEqual([]);
    expect(sources(t, 'indirect')).toEqual(
      expect.arrayContaining(['raw_batches.batch_id', 'raw_assays.result', 'raw_assays.unit', 'raw_specs.min_value', 'raw_specs.max_value', 'raw_specs.expected_text', 'raw_specs.assay_code']),
    );
    expect(sources(t, 'indirect')).not.toContain('raw_batches.site');
    expect(sources(t, 'indirect')).not.toContain('raw_bioreactor.ph');
  });

  it('downstream: the LIMS result reaches the curated outputs, directly where its value lands', async () => {
    const { trace: t } = await trace('raw_assays.result', '--downstream');
    const direct = t.hits.filter((h) => h.via === 'direct').map((h) => `${h.node}.${h.column}`);
    expect(direct).toEqual(expect.arrayContaining(['out_batch_release.mean_viability_pct', 'out_assay_results.result_value', 'out_release_summary.mean_viability_pct']));
    expect(direct).not.toContain('out_batch_release.release_status');
    expect(t.hits.find((h) => h.node === 'out_batch_release' && h.column === 'release_status')?.via).toBe('indirect');
    expect(t.hits.some((h) => h.node === 'bioreactor_kpis')).toBe(false);
  });

  it('prints a readable trace, and refuses an unknown node or column by name', async () => {
    const text = await runWeir(['lineage', file, 'out_batch_release.site']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^out_batch_release\.site: computed from \d+ columns/);
    expect(text.stdout).toContain('raw_batches.site  (source: data/raw/batches.csv)');
    const noNode = await runWeir(['lineage', file, 'nope.x']);
    expect(noNode.code).toBe(2);
    expect(noNode.stderr).toContain('no node named "nope"');
    const noColumn = await runWeir(['lineage', file, 'batch_release.colour']);
    expect(noColumn.code).toBe(2);
    expect(noColumn.stderr).toContain('node "batch_release" has no column "colour"');
    const bad = await runWeir(['lineage', file, 'batch_release']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected NODE.COLUMN');
  });

  it('answers --help, and refuses a hostile pipeline through the sandbox before reading anything', async () => {
    const help = await runWeir(['lineage', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: weir lineage FILE NODE.COLUMN');
    const dir = copyTemplate('cgt-batch-release', { prefix: 'weir-lineage-hostile-' });
    const hostile = join(dir, 'pipelines', 'hostile.weir.json');
    writeFileSync(
      hostile,
      JSON.stringify({
        format: 'weir.pipeline',
        version: 1,
        name: 'hostile',
        nodes: [{ id: 'peek', name: 'peek', kind: 'sql', inputs: [], config: { sql: ["select * from read_text('/etc/passwd')"] } }],
      }),
    );
    const res = await runWeir(['lineage', hostile, 'peek.content']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/read_text/);
    expect(res.stdout + res.stderr).not.toContain('root:');
  });
});
