import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { runPipelineFile } from '../../support/engine';
import { batchPipeline, clone, initRepo, isolateGit, sh, tempDir, writePipeline } from './helpers';

/**
 * Two people edit the same pipeline on two branches with real commits; `git merge` with
 * git's own text merge (no Weir merge driver configured) must be clean, and the merged
 * file must load, be canonical, and run.
 */

type Edit = (p: Pipeline) => void;
const node = (p: Pipeline, id: string) => p.nodes.find((n) => n.id === id)!;
const sqlOf = (p: Pipeline, id: string) => node(p, id).config.sql as string[];

let dir: string;
let cleanup: () => void;
let restoreEnv: () => void;
beforeEach(() => {
  restoreEnv = isolateGit();
  ({ dir, cleanup } = tempDir('weir-merge-'));
  initRepo(dir);
});
afterEach(() => {
  cleanup();
  restoreEnv();
});

/** base on main; `theirs` committed on branch "bo"; `ours` on main; then main merges bo. */
function mergeEdits(ours: Edit, theirs: Edit): { clean: boolean; text: string; expected: Pipeline } {
  const file = join(dir, 'pipelines/batch_release.weir.json');
  const base = batchPipeline();
  writePipeline(file, base);
  sh(dir, 'add', 'pipelines');
  sh(dir, 'commit', '-qm', 'Base pipeline');
  sh(dir, 'checkout', '-qb', 'bo');
  const t = clone(base);
  theirs(t);
  writePipeline(file, t);
  sh(dir, 'commit', '-qam', 'Bo edits');
  sh(dir, 'checkout', '-q', 'main');
  const o = clone(base);
  ours(o);
  writePipeline(file, o);
  sh(dir, 'commit', '-qam', 'Ann edits');
  let clean = true;
  try {
    sh(dir, 'merge', '--no-edit', '-q', 'bo');
  } catch {
    clean = false;
  }
  const expected = clone(base);
  ours(expected);
  theirs(expected);
  return { clean, text: readFileSync(file, 'utf8'), expected };
}

async function runMerged(): Promise<string> {
  const outcome = await runPipelineFile({ file: join(dir, 'pipelines/batch_release.weir.json'), recordDir: null });
  expect(outcome.error?.message ?? null).toBeNull();
  expect(outcome.status).toBe('succeeded');
  return readFileSync(join(dir, 'pipelines', node(parsePipeline(readFileSync(join(dir, 'pipelines/batch_release.weir.json'), 'utf8')).pipeline, 'n4').config.path as string), 'utf8');
}

function expectCleanMerge(r: { clean: boolean; text: string; expected: Pipeline }): void {
  expect(r.text).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
  expect(r.clean).toBe(true);
  const merged = parsePipeline(r.text, 'merged').pipeline;
  // Both edits are in, nothing else changed, and the merged bytes are canonical.
  expect(merged).toEqual(parsePipeline(serializePipeline(r.expected)).pipeline);
  expect(serializePipeline(merged)).toBe(r.text);
  expect(sh(dir, 'log', '--format=%s', '-1').trim()).toMatch(/^Merge branch 'bo'/);
}

describe('three-way git merge of a pipeline edited on two branches', () => {
  it('edits to different nodes (SQL of one, sink config of another) merge cleanly and run', async () => {
    const r = mergeEdits(
      (p) => {
        sqlOf(p, 'n2')[5] = 'where viability is not null and cd3_pct > 60';
      },
      (p) => {
        node(p, 'n4').config.path = 'out/release.csv';
      },
    );
    expectCleanMerge(r);
    // Ann's filter dropped B0143 (cd3 55%); Bo's new output path was used.
    expect(await runMerged()).toBe('batch_id,viable,cd3_pct\nB0141,true,72.5\nB0142,false,80.1\n');
  });

  it('SQL edits to adjacent nodes (last line of node 2, first lines of node 3) merge cleanly and run', async () => {
    const r = mergeEdits(
      (p) => {
        sqlOf(p, 'n2').push("  and batch_id <> 'B0141'");
      },
      (p) => {
        sqlOf(p, 'n3')[0] = 'select distinct';
        sqlOf(p, 'n3').splice(1, 0, '  -- one row per batch');
      },
    );
    expectCleanMerge(r);
    expect(sqlOf(r.expected, 'n2').at(-1)).toBe("  and batch_id <> 'B0141'");
    expect(await runMerged()).toBe('batch_id,viable,cd3_pct\nB0142,false,80.1\nB0143,true,55.0\n');
  });

  it('a layout move by one person and a SQL edit of the same node by the other merge cleanly and run', async () => {
    const r = mergeEdits(
      (p) => {
        p.layout.n3 = { x: 520, y: 140 };
        p.layout.n1 = { x: -40, y: 20 };
      },
      (p) => {
        sqlOf(p, 'n3')[5] = 'order by batch_id desc';
      },
    );
    expectCleanMerge(r);
    expect(await runMerged()).toBe('batch_id,viable,cd3_pct\nB0141,true,72.5\nB0142,false,80.1\nB0143,true,55.0\n');
  });

  it('a node rename (with its downstream SQL rewrite), a new parameter and a seed edit merge cleanly and run', async () => {
    const r = mergeEdits(
      (p) => {
        node(p, 'n2').name = 'clean_assays';
        sqlOf(p, 'n3')[4] = 'from clean_assays';
        p.params.batch_site = { type: 'string', default: 'Leiden' };
      },
      (p) => {
        (node(p, 'n1').config.rows as unknown[][])[2]![2] = 61.5;
        p.params.min_viability = { type: 'number', default: 0.6 };
      },
    );
    expectCleanMerge(r);
    expect(await runMerged()).toBe('batch_id,viable,cd3_pct\nB0141,true,72.5\nB0142,true,80.1\nB0143,true,61.5\n');
  });

  it('a node appended by one person and an edit of another node by the other merge cleanly and run', async () => {
    const r = mergeEdits(
      (p) => {
        p.nodes.push({ id: 'n5', name: 'viable_only', kind: 'sql', inputs: ['n3'], config: { materialize: 'auto', sql: ['select *', 'from summary', 'where viable'] } });
        p.layout.n5 = { x: 720, y: 160 };
      },
      (p) => {
        sqlOf(p, 'n2')[0] = 'select distinct';
        (node(p, 'n4').config.order_by as string[]).push('cd3_pct');
      },
    );
    expectCleanMerge(r);
    expect(await runMerged()).toBe('batch_id,viable,cd3_pct\nB0141,true,72.5\nB0142,false,80.1\nB0143,true,55.0\n');
  });
});
