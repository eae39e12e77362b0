import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { installMergeDriver } from '../../../src-main/engine/git/merge-driver';
import { runPipelineFile } from '../../support/engine';
import { batchPipeline, clone, initRepo, isolateGit, sh, tempDir, writePipeline } from './helpers';

/**
 * The opt-in merge driver (`weir merge-driver`, through the committed CLI bundle) in a
 * real repository: the edits that git's line merge reports as conflicts only because they
 * sit on neighbouring lines merge cleanly by node, and the result runs; real conflicts
 * still stop the merge with git's usual markers.
 */

const WEIR = resolve(__dirname, '../../../bin/weir.cjs');
const FILE = 'pipelines/batch_release.weir.json';
type Edit = (p: Pipeline) => void;
const node = (p: Pipeline, id: string) => p.nodes.find((n) => n.id === id)!;
const sqlOf = (p: Pipeline, id: string) => node(p, id).config.sql as string[];

let dir: string;
let cleanup: () => void;
let restoreEnv: () => void;
beforeEach(async () => {
  restoreEnv = isolateGit();
  ({ dir, cleanup } = tempDir('weir-merge-driver-'));
  initRepo(dir);
  const r = await installMergeDriver(process.env, dir, [process.execPath, WEIR]);
  expect(r.attributesAdded).toBe(true);
  expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toBe('*.weir.json text eol=lf merge=weir\n');
  expect((await installMergeDriver(process.env, dir, [process.execPath, WEIR])).attributesAdded).toBe(false);
});
afterEach(() => {
  cleanup();
  restoreEnv();
});

function mergeEdits(ours: Edit, theirs: Edit): { clean: boolean; text: string; stderr: string } {
  const file = join(dir, FILE);
  writePipeline(file, batchPipeline());
  sh(dir, 'add', '.');
  sh(dir, 'commit', '-qm', 'Base pipeline');
  sh(dir, 'checkout', '-qb', 'bo');
  const t = batchPipeline();
  theirs(t);
  writePipeline(file, t);
  sh(dir, 'commit', '-qam', 'Bo edits');
  sh(dir, 'checkout', '-q', 'main');
  const o = batchPipeline();
  ours(o);
  writePipeline(file, o);
  sh(dir, 'commit', '-qam', 'Ann edits');
  try {
    sh(dir, 'merge', '--no-edit', '-q', 'bo');
    return { clean: true, text: readFileSync(file, 'utf8'), stderr: '' };
  } catch (e) {
    return { clean: false, text: readFileSync(file, 'utf8'), stderr: String((e as { stderr?: string }).stderr ?? '') };
  }
}

const appendNode = (id: string, name: string, input: string, sql: string, pos: { x: number; y: number }): Edit => (p) => {
  p.nodes.push({ id, name, kind: 'sql', inputs: [input], config: { materialize: 'auto', sql: [sql] } });
  p.layout[id] = pos;
};

describe('the weir merge driver in a real repository', () => {
  it('merges neighbouring moves, two appended nodes and a param added after a changed one; the result runs', async () => {
    const ours: Edit = (p) => {
      p.layout.n2 = { x: 250, y: 40 };
      appendNode('n5', 'viable', 'n3', 'select * from summary where viable', { x: 720, y: 160 })(p);
      p.params.min_viability = { type: 'number', default: 0.6 };
    };
    const theirs: Edit = (p) => {
      p.layout.n3 = { x: 490, y: 80 };
      p.layout.n4 = { x: 700, y: 20 };
      appendNode('n6', 'low_cd3', 'n2', 'select * from clean where cd3_pct < 60', { x: 480, y: 160 })(p);
      p.params.site = { type: 'string', default: 'Leiden' };
    };
    const r = mergeEdits(ours, theirs);
    expect(r.stderr).toBe('');
    expect(r.clean).toBe(true);
    const merged = parsePipeline(r.text).pipeline;
    const expected = batchPipeline();
    ours(expected);
    theirs(expected);
    expect(merged).toEqual(parsePipeline(serializePipeline(expected)).pipeline);
    expect(serializePipeline(merged)).toBe(r.text);
    expect(sh(dir, 'status', '--porcelain').trim()).toBe('');
    const outcome = await runPipelineFile({ file: join(dir, FILE), recordDir: null, countViews: true });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.record.nodes.find((n) => n.name === 'low_cd3')?.rows).toBe(1);
    expect(readFileSync(join(dir, 'pipelines/out/summary.csv'), 'utf8')).toBe('batch_id,viable,cd3_pct\nB0141,true,72.5\nB0142,true,80.1\nB0143,true,55.0\n');
  });

  it('without the driver configured, the same edits conflict in git’s line merge (why the driver exists)', () => {
    sh(dir, 'config', '--remove-section', 'merge.weir');
    const r = mergeEdits(
      (p) => void (p.layout.n2 = { x: 250, y: 40 }),
      (p) => void (p.layout.n3 = { x: 490, y: 80 }),
    );
    expect(r.clean).toBe(false);
    expect(r.text).toMatch(/^<<<<<<< /m);
  });

  it('stops on a real conflict with git’s markers and names the node', () => {
    const r = mergeEdits(
      (p) => void (sqlOf(p, 'n2')[5] = 'where viability > 0.5'),
      (p) => void (sqlOf(p, 'n2')[5] = 'where viability > 0.6'),
    );
    expect(r.clean).toBe(false);
    expect(r.stderr).toContain('weir: pipelines/batch_release.weir.json: conflict at nodes[n2].config.sql: both sides changed the same lines');
    expect(r.text).toContain('<<<<<<< ours:pipelines/batch_release.weir.json\n          "where viability > 0.5"\n=======\n          "where viability > 0.6"\n>>>>>>> theirs:pipelines/batch_release.weir.json\n');
    expect(sh(dir, 'status', '--porcelain').trim()).toBe(`UU ${FILE}`);
    expect(existsSync(join(dir, '.git/MERGE_HEAD'))).toBe(true);
  });
});
