import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../shared/pipeline/schema';
import type { PipelineDiffResult } from '../../../src-main/engine/git/pipeline-diff';
import { batchPipeline, clone, initRepo, isolateGit, sh, tempDir, writePipeline } from './helpers';

/** `weir diff` and `weir history` through the committed CLI bundle, as a reviewer runs them. */

const WEIR = resolve(__dirname, '../../../bin/weir.cjs');
const sqlOf = (p: Pipeline, id: string) => p.nodes.find((n) => n.id === id)!.config.sql as string[];

function weir(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [WEIR, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let cleanup: () => void;
let restoreEnv: () => void;
let c1: string;
let c2: string;
const file = 'pipelines/batch_release.weir.json';

/** v1 committed, v2 committed (a SQL edit in n2, a sink path change in n4, a move of n3). */
beforeEach(() => {
  restoreEnv = isolateGit();
  ({ dir, cleanup } = tempDir('weir-cli-diff-'));
  initRepo(dir);
  writePipeline(join(dir, file), batchPipeline());
  sh(dir, 'add', '.');
  sh(dir, 'commit', '-qm', 'Add batch release');
  c1 = sh(dir, 'rev-parse', 'HEAD').trim();
  const v2 = batchPipeline();
  sqlOf(v2, 'n2').splice(5, 1, 'where viability is not null', '  and cd3_pct >= 60');
  v2.nodes[3]!.config.path = 'out/release.csv';
  v2.layout.n3 = { x: 480, y: 120 };
  writePipeline(join(dir, file), v2);
  sh(dir, 'commit', '-qam', 'Require CD3+ of 60%');
  c2 = sh(dir, 'rev-parse', 'HEAD').trim();
});
afterEach(() => {
  cleanup();
  restoreEnv();
});

describe('weir diff', () => {
  it('between two commits lists exactly the changed nodes and SQL lines (text)', () => {
    const r = weir(dir, 'diff', file, '--from', c1.slice(0, 8), '--to', 'HEAD');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `--- ${c1.slice(0, 7)} ${file}`,
        `+++ HEAD (${c2.slice(0, 7)}) ${file}`,
        '2 nodes changed; SQL +1 -0 lines; layout: 1 node moved',
        '',
        'nodes',
        '  ~ changed  clean  (sql, id n2)',
        '      sql:',
        '        @@ -4,3 +4,4 @@',
        '            cd3_pct',
        '          from assays',
        '          where viability is not null',
        '        +   and cd3_pct >= 60',
        '  ~ changed  out  (file_sink, id n4)',
        '      config.path: "out/summary.csv" → "out/release.csv"',
        '',
        'layout only (no effect on results)',
        '  moved summary (n3): (480, 0) → (480, 120)',
        '',
      ].join('\n'),
    );
  });

  it('between two commits lists exactly the changed nodes and SQL lines (--json)', () => {
    const r = weir(dir, 'diff', file, '--from', c1, '--to', c2, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as PipelineDiffResult;
    expect(out.before).toMatchObject({ commit: c1, exists: true, migratedFrom: null });
    expect(out.after).toMatchObject({ commit: c2, exists: true });
    const d = out.diff;
    expect(d.nodes.added).toEqual([]);
    expect(d.nodes.removed).toEqual([]);
    expect(d.nodes.changed.map((c) => c.id)).toEqual(['n2', 'n4']);
    const [n2, n4] = d.nodes.changed;
    expect(n2!.config).toEqual([]);
    expect(n2!.sql).toHaveLength(1);
    expect(n2!.sql[0]!.field).toBe('sql');
    expect(n2!.sql[0]!.diff.hunks.flatMap((h) => h.lines).filter((l) => l.op !== ' ')).toEqual([
      { op: '+', text: '  and cd3_pct >= 60', before: null, after: 7 },
    ]);
    expect(n4!.sql).toEqual([]);
    expect(n4!.config).toEqual([{ path: 'config.path', change: 'changed', before: 'out/summary.csv', after: 'out/release.csv' }]);
    expect(d.layout.moved.map((m) => m.id)).toEqual(['n3']);
    expect(d.summary).toMatchObject({ changed: 2, sqlLinesAdded: 1, sqlLinesRemoved: 0, moved: 1 });
  });

  it('compares the working copy with HEAD by default, and two files given as A B', () => {
    expect(weir(dir, 'diff', file).stdout).toContain('\nno changes\n');
    const v3 = clone(batchPipeline());
    v3.nodes[1]!.name = 'clean_assays';
    sqlOf(v3, 'n3')[4] = 'from clean_assays';
    writePipeline(join(dir, 'other.weir.json'), v3);
    const r = weir(dir, 'diff', file, 'other.weir.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`--- ${file}\n+++ other.weir.json\n`);
    expect(r.stdout).toContain('  ~ changed  clean_assays  (sql, id n2)\n      renamed: clean → clean_assays\n');
    expect(r.stdout).toContain('        - from clean\n        + from clean_assays\n');

    writePipeline(join(dir, file), v3);
    const wc = JSON.parse(weir(dir, 'diff', file, '--json').stdout) as PipelineDiffResult;
    expect(wc.before.label).toBe(`HEAD (${c2.slice(0, 7)})`);
    expect(wc.after.label).toBe('working copy');
    expect(wc.diff.nodes.renamed).toEqual([{ id: 'n2', from: 'clean', to: 'clean_assays' }]);
  });

  it('says what is wrong in one line, with exit code 2', () => {
    const bad = weir(dir, 'diff', file, '--from', 'nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^weir: unknown revision "nope" in .+\n$/);
    const usage = weir(dir, 'diff');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: weir diff');
    expect(weir(dir, 'diff', file, '--to', 'HEAD').stderr).toContain('--to needs --from');
    expect(weir(dir, 'diff', 'missing.weir.json', 'other.weir.json').stderr).toMatch(/missing\.weir\.json: no such pipeline file/);
  });
});

describe('weir history', () => {
  it('lists the commits that touched a pipeline, newest first', () => {
    const text = weir(dir, 'history', file);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${c2.slice(0, 7)}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  Ann Analyst  Require CD3\\+ of 60%$`));
    const json = JSON.parse(weir(dir, 'history', file, '--json', '-n', '1').stdout) as { commits: { commit: string }[] };
    expect(json.commits.map((c) => c.commit)).toEqual([c2]);
  });
});
