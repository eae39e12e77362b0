import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitInfo } from '../../../src-main/engine/audit/git-info';
import { initRepo, isolateGit, sh, tempDir } from '../../integration/git/helpers';

let restore: () => void;
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  restore = isolateGit();
  tmp = tempDir('weir-git-info-');
});
afterEach(() => {
  tmp.cleanup();
  restore();
});

describe('gitInfo (the commit a run record names)', () => {
  it('names HEAD, and whether the pipeline file differs from it', async () => {
    initRepo(tmp.dir);
    const file = join(tmp.dir, 'p.weir.json');
    writeFileSync(file, '{}\n');
    sh(tmp.dir, 'add', 'p.weir.json');
    sh(tmp.dir, 'commit', '--quiet', '-m', 'first');
    const head = sh(tmp.dir, 'rev-parse', 'HEAD').trim();
    expect(await gitInfo(process.env, file)).toEqual({ commit: head, dirty: false });
    writeFileSync(join(tmp.dir, 'other.txt'), 'not the pipeline\n');
    expect(await gitInfo(process.env, file)).toEqual({ commit: head, dirty: false });
    writeFileSync(file, '{ }\n');
    expect(await gitInfo(process.env, file)).toEqual({ commit: head, dirty: true });
  });

  it('answers null outside a repository and before the first commit', async () => {
    const file = join(tmp.dir, 'p.weir.json');
    writeFileSync(file, '{}\n');
    expect(await gitInfo(process.env, file)).toEqual({ commit: null, dirty: null });
    initRepo(tmp.dir);
    expect(await gitInfo(process.env, file)).toEqual({ commit: null, dirty: null });
  });
});
