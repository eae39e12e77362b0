import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitPipelines } from '../../../src-main/engine/git/commit';
import { pipelineHistory } from '../../../src-main/engine/git/history';
import { diffWorkingCopy } from '../../../src-main/engine/git/pipeline-diff';
import { restorePipeline } from '../../../src-main/engine/git/restore';
import { pipelineStatuses } from '../../../src-main/engine/git/status';
import { pipelineAtRevision } from '../../../src-main/engine/git/versions';
import { filterOverrides } from '../../../src-main/engine/git/command-guard';
import { batchPipeline, clone, initRepo, isolateGit, sh, tempDir, writePipeline } from './helpers';

/**
 * A workspace copied or unzipped from someone else carries its `.git/config`, which can name
 * commands git runs by itself. Opening such a workspace (status marks, history, diffs, the
 * version at a commit, restore) must run none of them. Each command below writes a file
 * named for the setting that ran it into a folder outside the workspace.
 */
let dir: string;
let trap: string;
let cleanup: () => void;
let cleanupTrap: () => void;
let restoreEnv: () => void;
beforeEach(() => {
  restoreEnv = isolateGit();
  ({ dir, cleanup } = tempDir('weir-git-hostile-'));
  ({ dir: trap, cleanup: cleanupTrap } = tempDir('weir-git-trap-'));
});
afterEach(() => {
  cleanup();
  cleanupTrap();
  restoreEnv();
});

const ran = () => readdirSync(trap).sort();

function armRepository(): void {
  const touch = (name: string, then = '') => `touch '${join(trap, name)}'${then}`;
  sh(dir, 'config', 'core.fsmonitor', touch('fsmonitor', '; exit 1'));
  sh(dir, 'config', 'filter.evil.clean', touch('filter-clean', '; cat'));
  sh(dir, 'config', 'filter.evil.smudge', touch('filter-smudge', '; cat'));
  sh(dir, 'config', 'filter.evil.process', touch('filter-process'));
  sh(dir, 'config', 'filter.evil.required', 'true');
  sh(dir, 'config', 'diff.evil.textconv', touch('textconv', '; cat'));
  sh(dir, 'config', 'diff.external', touch('diff-external'));
  writeFileSync(join(dir, '.gitattributes'), '*.json filter=evil diff=evil\n');
}

describe('a repository whose own config names commands', () => {
  it('runs none of them for status, history, diff, versions at a commit, commit or restore', async () => {
    initRepo(dir);
    const file = join(dir, 'pipelines/a.weir.json');
    writePipeline(file, batchPipeline());
    sh(dir, 'add', '.');
    sh(dir, 'commit', '--quiet', '-m', 'first');
    armRepository();
    const edited = clone(batchPipeline());
    edited.description = 'edited after the trap was set';
    writePipeline(file, edited);

    expect((await pipelineStatuses(process.env, dir)).files.map((f) => [f.path, f.state])).toEqual([['pipelines/a.weir.json', 'modified']]);
    expect(await pipelineHistory(process.env, file)).toHaveLength(1);
    expect((await diffWorkingCopy(process.env, file)).before.commit).toMatch(/^[0-9a-f]{40}$/);
    expect((await pipelineAtRevision(process.env, file, 'HEAD')).text).not.toContain('edited after the trap was set');
    await commitPipelines(process.env, { dir, files: [file], message: 'Edit' });
    await restorePipeline(process.env, file, 'HEAD~1');
    expect(await pipelineHistory(process.env, file)).toHaveLength(2);
    expect(ran()).toEqual([]);
  });

  it('is a real trap: git itself, run plainly, runs them', () => {
    initRepo(dir);
    const file = join(dir, 'a.weir.json');
    writePipeline(file, batchPipeline());
    sh(dir, 'add', '.');
    sh(dir, 'commit', '--quiet', '-m', 'first');
    armRepository();
    const edited = clone(batchPipeline());
    edited.description = 'edited';
    writePipeline(file, edited);
    // The armed commands are not well-behaved filters, so git may fail after running them.
    const tryGit = (...args: string[]) => {
      try {
        sh(dir, ...args);
      } catch {
        /* ran, then failed: what counts is that it ran */
      }
    };
    tryGit('status', '--porcelain');
    tryGit('diff');
    tryGit('add', 'a.weir.json');
    expect(ran()).toEqual(expect.arrayContaining(['filter-process', 'fsmonitor']));
  });

  it('turns off every filter driver the config defines, whatever its name', () => {
    const names = ['filter.lfs.clean', 'filter.lfs.process', 'filter.a.b.clean', 'core.fsmonitor'].join('\0');
    const args = filterOverrides(names);
    expect(args.filter((a) => a !== '-c')).toEqual([
      'filter.lfs.clean=', 'filter.lfs.smudge=', 'filter.lfs.process=', 'filter.lfs.required=false',
      'filter.a.b.clean=', 'filter.a.b.smudge=', 'filter.a.b.process=', 'filter.a.b.required=false',
    ]);
  });
});
