import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverLots, lotFingerprint, templateMatcher } from '../../../../src-main/engine/lots/discover';
import { lotStateOf } from '../../../../src-main/engine/lots/run-lots';
import { withAttempt } from '../../../../src-main/engine/lots/state-store';
import { pipelineWorkspace } from '../../../../src-main/engine/workspace/workspace';
import type { Pipeline } from '../../../../shared/pipeline/schema';
import { testContext } from '../../../support/engine';
import { tempDir } from '../../../support/temp-dir';

const pipeline: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'lots',
  params: {},
  partitions: { key: 'batch_id', sources: { a: { path: 'data/lots/{batch_id}/assays*.csv' } } },
  nodes: [
    { id: 'a', name: 'raw_assays', kind: 'file_source', inputs: [], config: { path: 'data/lots/*/assays*.csv', format: 'csv' } },
    { id: 's', name: 'raw_specs', kind: 'file_source', inputs: [], config: { path: 'data/specs.csv', format: 'csv' } },
  ],
  layout: {},
};

function workspace(): string {
  const root = tempDir('weir-lots-');
  writeFileSync(join(root, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }));
  mkdirSync(join(root, 'pipelines'));
  writeFileSync(join(root, 'pipelines', 'lots.weir.json'), JSON.stringify(pipeline));
  const put = (rel: string, text: string) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  put('data/specs.csv', 'assay,min\nviability,70\n');
  put('data/lots/B0001/assays.csv', 'batch_id,result\nB0001,91\n');
  put('data/lots/B0002/assays.csv', 'batch_id,result\nB0002,88\n');
  put('data/lots/bad value/assays.csv', 'x\n');
  put('data/lots/B0003/other.csv', 'not an assay file\n');
  return root;
}

async function fingerprints(root: string) {
  const ws = pipelineWorkspace(join(root, 'pipelines', 'lots.weir.json'));
  const found = await discoverLots({ engine: testContext(), pipeline, spec: pipeline.partitions!, workspace: ws, environment: 'dev', secrets: () => undefined });
  const fps = new Map([...found.lots].map(([k, inputs]) => [k, lotFingerprint(pipeline, {}, [...inputs, ...found.shared])]));
  return { found, fps };
}

describe('lot discovery', () => {
  it('matches a template and captures the lot value (every placeholder agreeing)', () => {
    const m = templateMatcher('data/{k}/x-{k}*.csv', 'k');
    expect(m('data/B1/x-B1.csv')).toBe('B1');
    expect(m('data/B1/x-B1-late.csv')).toBe('B1');
    expect(m('data/B1/x-B2.csv')).toBeNull();
    expect(m('data/B1/sub/x-B1.csv')).toBeNull();
  });

  it("finds the lots in the listing, each with only its files, and the shared files apart", async () => {
    const root = workspace();
    const { found } = await fingerprints(root);
    expect([...found.lots.keys()]).toEqual(['B0001', 'B0002']);
    expect(found.lots.get('B0001')!.map((i) => i.where)).toEqual(['data/lots/B0001/assays.csv']);
    expect(found.shared.map((i) => i.where)).toEqual(['data/specs.csv']);
    expect(found.skipped).toEqual(['bad value']);
  });

  it("changes a lot's fingerprint when its own input changes or is added, every lot's when a shared input does", async () => {
    const root = workspace();
    const before = (await fingerprints(root)).fps;
    writeFileSync(join(root, 'data/lots/B0002/assays_late.csv'), 'batch_id,result\nB0002,12\n');
    const late = (await fingerprints(root)).fps;
    expect(late.get('B0001')).toBe(before.get('B0001'));
    expect(late.get('B0002')).not.toBe(before.get('B0002'));
    writeFileSync(join(root, 'data/specs.csv'), 'assay,min\nviability,75\n');
    const specs = (await fingerprints(root)).fps;
    expect(specs.get('B0001')).not.toBe(late.get('B0001'));
    expect(specs.get('B0002')).not.toBe(late.get('B0002'));
    // The pipeline's logic and the run's parameters are part of it too.
    const found = (await fingerprints(root)).found;
    const inputs = [...found.lots.get('B0001')!, ...found.shared];
    expect(lotFingerprint(pipeline, { limit: 80 }, inputs)).not.toBe(lotFingerprint(pipeline, {}, inputs));
    const edited: Pipeline = { ...pipeline, nodes: [...pipeline.nodes, { id: 'q', name: 'q', kind: 'sql', inputs: ['a'], config: { sql: ['select 1'] } }] };
    expect(lotFingerprint(edited, {}, inputs)).not.toBe(lotFingerprint(pipeline, {}, inputs));
  });
});

describe('hostile partitions', () => {
  it('never lists a folder outside the workspace, even through a symbolic link', async () => {
    const root = workspace();
    const outside = tempDir('weir-lots-outside-');
    mkdirSync(join(outside, 'B0009'));
    writeFileSync(join(outside, 'B0009', 'assays.csv'), 'secret\n');
    symlinkSync(outside, join(root, 'data', 'linked'));
    const spec = { key: 'batch_id', sources: { a: { path: 'data/linked/{batch_id}/assays.csv' } } };
    const ws = pipelineWorkspace(join(root, 'pipelines', 'lots.weir.json'));
    await expect(discoverLots({ engine: testContext(), pipeline: { ...pipeline, partitions: spec }, spec, workspace: ws, environment: 'dev', secrets: () => undefined })).rejects.toThrow(
      /file_source "raw_assays": "data\/linked" leads outside the workspace/,
    );
  });
});

describe('lot state', () => {
  const at = (s: string) => `2026-12-07T00:00:0${s}.000Z`;
  it('is new, up to date, changed or failed from the stored attempts and the fingerprint now', () => {
    expect(lotStateOf(undefined, 'f1')).toBe('new');
    const ok = withAttempt(null, 'B1', 'succeeded', { fingerprint: 'f1', runId: 'r1', at: at('1') });
    expect(lotStateOf(ok, 'f1')).toBe('up_to_date');
    expect(lotStateOf(ok, 'f2')).toBe('changed');
    const failed = withAttempt(ok, 'B1', 'failed', { fingerprint: 'f2', runId: 'r2', at: at('2') });
    expect(lotStateOf(failed, 'f2')).toBe('failed');
    // A failure on other inputs than today's says nothing about them.
    expect(lotStateOf(failed, 'f3')).toBe('changed');
    const fixed = withAttempt(failed, 'B1', 'succeeded', { fingerprint: 'f2', runId: 'r3', at: at('3') });
    expect(fixed.failed).toBeUndefined();
    expect(lotStateOf(fixed, 'f2')).toBe('up_to_date');
    // An older success arriving late (another worker) does not replace a newer one.
    expect(withAttempt(fixed, 'B1', 'succeeded', { fingerprint: 'f0', runId: 'r0', at: at('0') }).succeeded?.runId).toBe('r3');
  });
});
