import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parsePipeline } from '../../../shared/pipeline/parse';
import { scopeLabel, scopeSelection, scopedRun, scopeTitle } from '../../../src-renderer/run/run-scope';

const template = parsePipeline(readFileSync('templates/cgt-batch-release/pipelines/batch_release.weir.json', 'utf8')).pipeline;
const nodes = template.nodes;
const id = (name: string) => nodes.find((n) => n.name === name)!.id;
const names = (ids: string[]) => ids.map((i) => nodes.find((n) => n.id === i)!.name);

describe('run from here / to here / this node', () => {
  it("maps each onto the engine's selection grammar", () => {
    expect([scopeSelection('assays', 'from'), scopeSelection('assays', 'to'), scopeSelection('assays', 'node')]).toEqual(['assays+', '+assays', 'assays']);
  });

  it('from a mid node: it and everything downstream run, what it reads comes along unpublished, the sinks downstream publish', () => {
    const r = scopedRun(nodes, id('assay_results'), 'from')!;
    expect(r.select).toBe('assay_results+');
    expect(names(r.selected).sort()).toEqual(['assay_results', 'batch_release', 'out_assay_results', 'out_batch_release', 'out_release_summary', 'release_checked', 'release_summary']);
    // batch_release (downstream) also reads the bioreactor branch: the plan takes that along too
    expect(names(r.needed).sort()).toEqual(['assays', 'assays_checked', 'batches', 'bioreactor_kpis', 'raw_assays', 'raw_batches', 'raw_bioreactor', 'raw_specs', 'readings', 'specs']);
    expect([...r.publishes].sort()).toEqual(['out_assay_results', 'out_batch_release', 'out_release_summary']);
    expect(scopeLabel(r)).toBe('Run from here (publishes 3 outputs)');
    expect(scopeTitle(r)).toBe('--select assay_results+: runs 7 nodes; 10 upstream nodes from the cache or made again; publishes out_batch_release, out_assay_results, out_release_summary');
  });

  it('to a mid node and this node alone publish nothing; to a sink publishes that one sink only', () => {
    const to = scopedRun(nodes, id('assay_results'), 'to')!;
    expect(names(to.selected)).toContain('raw_assays');
    expect(to.needed).toEqual([]);
    expect(scopeLabel(to)).toBe('Run to here (no publish)');
    const one = scopedRun(nodes, id('assay_results'), 'node')!;
    expect(names(one.selected)).toEqual(['assay_results']);
    expect(scopeLabel(one)).toBe('Run this node (no publish)');
    const sink = scopedRun(nodes, id('out_assay_results'), 'to')!;
    expect(sink.publishes).toEqual(['out_assay_results']);
    expect(scopeLabel(sink)).toBe('Run to here (publishes 1 output)');
  });

  it('a node not in the document has no scoped run', () => {
    expect(scopedRun(nodes, 'nope', 'from')).toBeNull();
  });
});
