import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitPipelines } from '../../../src-main/engine/git/commit';
import { pipelineHistory } from '../../../src-main/engine/git/history';
import { diffPipelineFiles, diffRevisions, diffWorkingCopy } from '../../../src-main/engine/git/pipeline-diff';
import { restorePipeline } from '../../../src-main/engine/git/restore';
import { pipelineStatuses } from '../../../src-main/engine/git/status';
import { pipelineAtRevision } from '../../../src-main/engine/git/versions';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { batchPipeline, clone, initRepo, isolateGit, sh, tempDir, writePipeline } from './helpers';

/** git runs with this process's environment (isolateGit points it at a home of the test's own). */
const gitEnv = process.env;

const sqlOf = (p: Pipeline, id: string) => p.nodes.find((n) => n.id === id)!.config.sql as string[];

let dir: string;
let cleanup: () => void;
let restoreEnv: () => void;
beforeEach(() => {
  restoreEnv = isolateGit();
  ({ dir, cleanup } = tempDir('weir-git-'));
});
afterEach(() => {
  cleanup();
  restoreEnv();
});

const stateMap = async (d: string) => Object.fromEntries((await pipelineStatuses(gitEnv, d)).files.map((f) => [f.path, f.state]));

describe('workspace git operations (real git repository)', () => {
  it('reports each pipeline as new, modified, committed, deleted; a plain folder as no repository', async () => {
    expect(await pipelineStatuses(gitEnv, dir)).toMatchObject({ isRepo: false, files: [] });
    initRepo(dir);
    const a = join(dir, 'pipelines/a.weir.json');
    const b = join(dir, 'pipelines/sub/b.weir.json');
    const c = join(dir, 'c.weir.json');
    writePipeline(a, batchPipeline());
    writePipeline(b, batchPipeline());
    writePipeline(c, batchPipeline());
    writeFileSync(join(dir, 'notes.txt'), 'not a pipeline');
    expect(await stateMap(dir)).toEqual({ 'c.weir.json': 'new', 'pipelines/a.weir.json': 'new', 'pipelines/sub/b.weir.json': 'new' });

    await commitPipelines(gitEnv, { dir, files: [a, b], message: 'Add pipelines' });
    const p = clone(batchPipeline());
    sqlOf(p, 'n2')[0] = 'select distinct';
    writePipeline(a, p);
    rmSync(b);
    const status = await pipelineStatuses(gitEnv, dir);
    expect(status).toMatchObject({ isRepo: true, root: dir, branch: 'main' });
    expect(status.head).toMatch(/^[0-9a-f]{40}$/);
    expect(Object.fromEntries(status.files.map((f) => [f.path, f.state]))).toEqual({
      'c.weir.json': 'new',
      'pipelines/a.weir.json': 'modified',
      'pipelines/sub/b.weir.json': 'deleted',
    });
    expect(status.files.find((f) => f.path === 'pipelines/a.weir.json')?.staged).toBe(false);
    // Asked from a subfolder, paths are relative to it; git names them from the root.
    const sub = await pipelineStatuses(gitEnv, join(dir, 'pipelines'));
    expect(sub.files.map((f) => [f.path, f.repoPath])).toEqual([
      ['a.weir.json', 'pipelines/a.weir.json'],
      ['sub/b.weir.json', 'pipelines/sub/b.weir.json'],
    ]);
    sh(dir, 'add', 'c.weir.json');
    expect((await stateMap(dir))['c.weir.json']).toBe('new');
  });

  it('commits only the chosen pipelines, as the configured git user', async () => {
    initRepo(dir, { name: 'Ann Analyst', email: 'ann@example.com' });
    const a = join(dir, 'a.weir.json');
    const b = join(dir, 'b.weir.json');
    writePipeline(a, batchPipeline());
    writePipeline(b, batchPipeline());
    const first = await commitPipelines(gitEnv, { dir, files: [a], message: 'Add a\n\nwith a body' });
    expect(first).toMatchObject({ author: { name: 'Ann Analyst', email: 'ann@example.com' }, usedFallbackIdentity: false, files: ['a.weir.json'] });
    expect(sh(dir, 'log', '-1', '--format=%H|%an <%ae>|%cn|%B').trim()).toBe(`${first.commit}|Ann Analyst <ann@example.com>|Ann Analyst|Add a\n\nwith a body`);
    expect(sh(dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('a.weir.json');
    expect(await stateMap(dir)).toEqual({ 'a.weir.json': 'committed', 'b.weir.json': 'new' });

    // Something else the user staged by hand stays staged and out of our commit.
    writeFileSync(join(dir, 'README.md'), 'hello');
    sh(dir, 'add', 'README.md');
    const p = batchPipeline();
    p.description = 'changed';
    writePipeline(a, p);
    rmSync(b);
    await commitPipelines(gitEnv, { dir, files: [a], message: 'Describe a' });
    expect(sh(dir, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('a.weir.json');
    expect(sh(dir, 'status', '--porcelain').trim()).toBe('A  README.md');

    await expect(commitPipelines(gitEnv, { dir, files: [a], message: 'again' })).rejects.toThrow(/nothing to commit: a\.weir\.json is unchanged/);
    await expect(commitPipelines(gitEnv, { dir, files: [a], message: '  ' })).rejects.toThrow(/needs a message/);
    await expect(commitPipelines(gitEnv, { dir, files: ['/elsewhere/x.weir.json'], message: 'x' })).rejects.toThrow(/outside the git repository/);
  });

  it('commits with a fallback identity when git has none, and says so', async () => {
    initRepo(dir, null);
    const a = join(dir, 'a.weir.json');
    writePipeline(a, batchPipeline());
    const given = await commitPipelines(gitEnv, { dir, files: [a], message: 'first', fallbackIdentity: { name: 'Weir Desktop', email: 'desk@lab.example' } });
    expect(given).toMatchObject({ usedFallbackIdentity: true, author: { name: 'Weir Desktop', email: 'desk@lab.example' } });
    expect(sh(dir, 'log', '-1', '--format=%an <%ae> / %cn <%ce>').trim()).toBe('Weir Desktop <desk@lab.example> / Weir Desktop <desk@lab.example>');

    const p = batchPipeline();
    p.description = 'second';
    writePipeline(a, p);
    const dflt = await commitPipelines(gitEnv, { dir, files: [a], message: 'second' });
    expect(dflt.usedFallbackIdentity).toBe(true);
    expect(dflt.author.email.endsWith(`@${hostname().includes('.') ? hostname() : `${hostname()}.local`}`)).toBe(true);
    // A repository-local identity wins over the fallback.
    sh(dir, 'config', 'user.name', 'Bo Reviewer');
    sh(dir, 'config', 'user.email', 'bo@example.com');
    p.description = 'third';
    writePipeline(a, p);
    expect(await commitPipelines(gitEnv, { dir, files: [a], message: 'third' })).toMatchObject({ usedFallbackIdentity: false, author: { name: 'Bo Reviewer' } });
  });

  it('lists a pipeline’s history, reads it at a commit, and follows renames', async () => {
    initRepo(dir);
    const f = join(dir, 'p.weir.json');
    const v1 = batchPipeline();
    writePipeline(f, v1);
    writePipeline(join(dir, 'other.weir.json'), v1);
    expect(await pipelineHistory(gitEnv, f)).toEqual([]);
    const c1 = await commitPipelines(gitEnv, { dir, files: [f], message: 'v1' });
    await commitPipelines(gitEnv, { dir, files: [join(dir, 'other.weir.json')], message: 'unrelated' });
    const v2 = clone(v1);
    sqlOf(v2, 'n3')[5] = 'order by batch_id desc';
    const v2text = writePipeline(f, v2);
    const c2 = await commitPipelines(gitEnv, { dir, files: [f], message: 'Sort newest first' });

    const history = await pipelineHistory(gitEnv, f);
    expect(history.map((h) => [h.commit, h.subject, h.author.name, h.path])).toEqual([
      [c2.commit, 'Sort newest first', 'Ann Analyst', 'p.weir.json'],
      [c1.commit, 'v1', 'Ann Analyst', 'p.weir.json'],
    ]);
    expect(history[0]!.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(await pipelineHistory(gitEnv, f, { limit: 1 })).toHaveLength(1);

    const old = await pipelineAtRevision(gitEnv, f, c1.shortCommit);
    expect(old.commit).toBe(c1.commit);
    expect(sqlOf(old.parsed!.pipeline, 'n3')[5]).toBe('order by batch_id');
    expect((await pipelineAtRevision(gitEnv, f, 'HEAD')).text).toBe(v2text);
    expect((await pipelineAtRevision(gitEnv, f, 'HEAD')).label).toBe(`HEAD (${c2.shortCommit})`);
    await expect(pipelineAtRevision(gitEnv, f, 'no-such-branch')).rejects.toThrow(/unknown revision "no-such-branch"/);

    const g = join(dir, 'renamed.weir.json');
    sh(dir, 'mv', 'p.weir.json', 'renamed.weir.json');
    sh(dir, 'commit', '-qm', 'Rename');
    expect((await pipelineHistory(gitEnv, g)).map((h) => [h.subject, h.path])).toEqual([
      ['Rename', 'renamed.weir.json'],
      ['Sort newest first', 'p.weir.json'],
      ['v1', 'p.weir.json'],
    ]);
  });

  it('restores an earlier version into the working tree, guarding uncommitted edits', async () => {
    initRepo(dir);
    const f = join(dir, 'p.weir.json');
    const v1text = writePipeline(f, batchPipeline());
    const c1 = await commitPipelines(gitEnv, { dir, files: [f], message: 'v1' });
    const v2 = batchPipeline();
    sqlOf(v2, 'n2')[5] = 'where viability > 0';
    writePipeline(f, v2);
    await commitPipelines(gitEnv, { dir, files: [f], message: 'v2' });

    const r = await restorePipeline(gitEnv, f, c1.commit);
    expect(r).toMatchObject({ commit: c1.commit, path: 'p.weir.json', migratedFrom: null });
    expect(readFileSync(f, 'utf8')).toBe(v1text);
    expect(await stateMap(dir)).toEqual({ 'p.weir.json': 'modified' });
    expect(sh(dir, 'diff', '--cached', '--name-only').trim()).toBe(''); // not staged: the user reviews, then commits

    // Now the working copy differs from HEAD: restoring again must not silently drop it.
    const edited = batchPipeline();
    edited.description = 'unsaved edit';
    const editedText = writePipeline(f, edited);
    await expect(restorePipeline(gitEnv, f, 'HEAD')).rejects.toThrow(/p\.weir\.json has uncommitted changes/);
    expect(readFileSync(f, 'utf8')).toBe(editedText);
    await restorePipeline(gitEnv, f, 'HEAD', { discardChanges: true });
    expect(await stateMap(dir)).toEqual({ 'p.weir.json': 'committed' });

    // A deleted file comes back without the flag; a file missing at the revision is refused.
    rmSync(f);
    await restorePipeline(gitEnv, f, 'HEAD~1');
    expect(readFileSync(f, 'utf8')).toBe(v1text);
    await expect(restorePipeline(gitEnv, join(dir, 'nope.weir.json'), 'HEAD')).rejects.toThrow(/nope\.weir\.json does not exist at HEAD/);
    expect(existsSync(join(dir, 'nope.weir.json'))).toBe(false);
  });

  it('diffs the working copy with HEAD, two commits, and two files', async () => {
    initRepo(dir);
    const f = join(dir, 'p.weir.json');
    writePipeline(f, batchPipeline());
    await expect(diffWorkingCopy(gitEnv, f)).rejects.toThrow(/no commits yet/);
    const c1 = await commitPipelines(gitEnv, { dir, files: [f], message: 'v1' });
    expect((await diffWorkingCopy(gitEnv, f)).diff.identical).toBe(true);

    const v2 = batchPipeline();
    sqlOf(v2, 'n2')[5] = 'where viability > 0';
    v2.layout.n1 = { x: 10, y: 10 };
    writePipeline(f, v2);
    const wc = await diffWorkingCopy(gitEnv, f);
    expect(wc.before).toMatchObject({ label: `HEAD (${c1.shortCommit})`, commit: c1.commit, exists: true });
    expect(wc.after).toMatchObject({ label: 'working copy', commit: null, exists: true });
    expect(wc.diff.nodes.changed.map((c) => c.id)).toEqual(['n2']);
    expect(wc.diff.layout.moved.map((m) => m.id)).toEqual(['n1']);
    const c2 = await commitPipelines(gitEnv, { dir, files: [f], message: 'v2' });

    const between = await diffRevisions(gitEnv, f, c1.commit, c2.commit);
    expect(between.diff.nodes.changed.map((c) => c.id)).toEqual(['n2']);
    expect((await diffRevisions(gitEnv, f, c2.commit, null)).diff.identical).toBe(true);

    const other = join(dir, 'copy.weir.json');
    const v3 = clone(v2);
    v3.nodes = v3.nodes.filter((n) => n.id !== 'n4');
    delete v3.layout.n4;
    writePipeline(other, v3);
    const files = await diffPipelineFiles(f, other);
    expect(files.diff.nodes.removed.map((n) => n.id)).toEqual(['n4']);
    // A pipeline that is new since HEAD: every node added.
    const created = await diffWorkingCopy(gitEnv, other);
    expect(created.before.exists).toBe(false);
    expect(created.diff).toMatchObject({ created: true, summary: { added: 3 } });
    renameSync(f, join(dir, 'moved.json'));
    expect((await diffWorkingCopy(gitEnv, f)).diff).toMatchObject({ deleted: true, summary: { removed: 4 } });
  });
});
