import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outsideAnyRepository } from '../../../../src-main/engine/git/no-repository';

/** What git itself says: is `dir` in a work tree or a git folder? */
function gitFinds(dir: string, env: NodeJS.ProcessEnv = {}): boolean {
  try {
    execFileSync('git', ['rev-parse', '--git-dir'], { cwd: dir, env: { ...process.env, ...env }, stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe('outsideAnyRepository: a repository question that needs no git', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'weir-no-repo-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('is true only where git finds no repository either', () => {
    const ws = join(tmp, 'a', 'ws');
    mkdirSync(ws, { recursive: true });
    expect(gitFinds(ws)).toBe(false);
    expect(outsideAnyRepository(process.env, ws)).toBe(true);
  });

  it('is false below a .git folder, a .git file (a linked work tree), a bare repository, and through a symbolic link into one', () => {
    const repo = join(tmp, 'repo');
    mkdirSync(join(repo, 'pipelines', 'deep'), { recursive: true });
    execFileSync('git', ['init', '-q'], { cwd: repo });
    expect(outsideAnyRepository(process.env, join(repo, 'pipelines', 'deep'))).toBe(false);

    const linked = join(tmp, 'linked');
    mkdirSync(linked);
    writeFileSync(join(linked, '.git'), `gitdir: ${join(repo, '.git')}\n`);
    expect(outsideAnyRepository(process.env, linked)).toBe(false);

    const bare = join(tmp, 'bare.git');
    execFileSync('git', ['init', '-q', '--bare', bare]);
    mkdirSync(join(bare, 'info', 'ws'), { recursive: true });
    expect(gitFinds(join(bare, 'info', 'ws'))).toBe(true);
    expect(outsideAnyRepository(process.env, join(bare, 'info', 'ws'))).toBe(false);

    // The path a user gives may be a link: git walks the real one.
    const outside = join(tmp, 'elsewhere');
    mkdirSync(outside);
    symlinkSync(join(repo, 'pipelines'), join(outside, 'link'));
    expect(outsideAnyRepository(process.env, join(outside, 'link'))).toBe(false);
  });

  it('is false when GIT_DIR or GIT_WORK_TREE point git elsewhere, or the folder cannot be resolved', () => {
    const ws = join(tmp, 'ws');
    mkdirSync(ws);
    expect(outsideAnyRepository({ ...process.env, GIT_DIR: join(tmp, 'some.git') }, ws)).toBe(false);
    expect(outsideAnyRepository({ ...process.env, GIT_WORK_TREE: ws }, ws)).toBe(false);
    expect(outsideAnyRepository(process.env, join(tmp, 'missing'))).toBe(false);
  });
});
