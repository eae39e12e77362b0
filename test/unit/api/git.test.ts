import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { makeService, makeWorkspace, samplePipeline } from './fixture';

let ws: Awaited<ReturnType<typeof makeWorkspace>>;
const REL = 'pipelines/release.weir.json';
const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, encoding: 'utf8' }).trim();

function initRepo(): void {
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.name', 'Ada Tester');
  git('config', 'user.email', 'ada@example.com');
  git('config', 'commit.gpgsign', 'false');
}

/** The sample pipeline with the `passing` node's threshold raised and an extra line. */
async function editSql(): Promise<void> {
  const p = samplePipeline();
  const passing = p.nodes[1] as (typeof p.nodes)[number] & { config: { sql: string[] } };
  passing.config.sql = ['select lot, viability', 'from lots', 'where viability >= 80', '  and lot is not null'];
  await writeFile(join(ws.root, REL), serializePipeline(p));
}

beforeEach(async () => {
  ws = await makeWorkspace();
  await rm(join(ws.root, 'pipelines', 'broken.weir.json'));
});
afterEach(() => ws.cleanup());

describe('git API methods on a real repository', () => {
  it('says when the workspace is not a git repository, and refuses the other methods in one line', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    expect(await call('git.status', { root: ws.root })).toEqual({ isRepo: false, branch: null, head: null, files: [] });
    await expect(call('git.history', { root: ws.root, path: REL })).rejects.toThrow(/is not in a git repository/);
    await expect(call('git.diff', { root: ws.root, path: REL })).rejects.toThrow(/is not in a git repository/);
  });

  it('walks a pipeline through new → committed → modified → committed, with history, diff and restore', async () => {
    initRepo();
    const { call } = makeService(ws.home, { open: ws.root });
    let status = await call('git.status', { root: ws.root });
    expect(status).toMatchObject({ isRepo: true, head: null, files: [{ path: REL, state: 'new' }] });

    // No commits yet: every node is new.
    const first = await call('git.diff', { root: ws.root, path: REL });
    expect(first.diff.created).toBe(true);
    expect(first.diff.nodes.added.map((n: { name: string }) => n.name)).toEqual(['lots', 'passing', 'out']);

    const c1 = await call('git.commit', { root: ws.root, files: [REL], message: 'First release pipeline' });
    expect(c1).toMatchObject({ author: { name: 'Ada Tester', email: 'ada@example.com' }, usedFallbackIdentity: false, files: [REL] });
    expect(c1.commit).toBe(git('rev-parse', 'HEAD'));
    status = await call('git.status', { root: ws.root });
    expect(status).toMatchObject({ branch: 'main', head: c1.commit, files: [{ path: REL, state: 'committed' }] });
    await expect(call('git.commit', { root: ws.root, files: [REL], message: 'again' })).rejects.toThrow(/nothing to commit/);

    await editSql();
    expect((await call('git.status', { root: ws.root })).files).toEqual([{ path: REL, state: 'modified' }]);
    const d = await call('git.diff', { root: ws.root, path: REL });
    expect(d.before).toMatchObject({ commit: c1.commit, exists: true });
    expect(d.after.label).toBe('working copy');
    expect(d.diff.nodes.changed.map((n: { name: string }) => n.name)).toEqual(['passing']);
    expect(d.diff.summary).toMatchObject({ sqlLinesAdded: 2, sqlLinesRemoved: 1, changed: 1, added: 0, removed: 0 });
    expect(d.text).toContain('- where viability >= 70');
    expect(d.text).toContain('+ where viability >= 80');
    expect(d.summary).toBe('1 node changed; SQL +2 -1 lines');

    await expect(call('git.commit', { root: ws.root, files: [REL], message: '   ' })).rejects.toThrow(/needs a message/);
    const c2 = await call('git.commit', { root: ws.root, files: [REL], message: 'Raise the viability threshold' });
    expect((await call('git.status', { root: ws.root })).files).toEqual([{ path: REL, state: 'committed' }]);

    const { commits } = await call('git.history', { root: ws.root, path: REL });
    expect(commits.map((c: { subject: string }) => c.subject)).toEqual(['Raise the viability threshold', 'First release pipeline']);
    expect(commits[0]).toMatchObject({ commit: c2.commit, author: { name: 'Ada Tester' }, path: REL });

    // Between two commits, both ways of naming them.
    const between = await call('git.diff', { root: ws.root, path: REL, from: c1.commit, to: 'HEAD' });
    expect(between.summary).toBe('1 node changed; SQL +2 -1 lines');
    expect((await call('git.diff', { root: ws.root, path: REL })).diff.identical).toBe(true);

    // Restore the first version: written, not committed, so the file shows as modified.
    const restored = await call('git.restore', { root: ws.root, path: REL, revision: c1.commit });
    expect(restored).toEqual({ commit: c1.commit, path: REL, migratedFrom: null });
    expect(await readFile(join(ws.root, REL), 'utf8')).toBe(serializePipeline(samplePipeline()));
    expect((await call('git.status', { root: ws.root })).files).toEqual([{ path: REL, state: 'modified' }]);
  });

  it('refuses to restore over uncommitted changes unless confirmed', async () => {
    initRepo();
    const { call } = makeService(ws.home, { open: ws.root });
    const c1 = await call('git.commit', { root: ws.root, files: [REL], message: 'one' });
    await editSql();
    const edited = await readFile(join(ws.root, REL), 'utf8');
    await expect(call('git.restore', { root: ws.root, path: REL, revision: c1.commit })).rejects.toThrow(/has uncommitted changes/);
    expect(await readFile(join(ws.root, REL), 'utf8')).toBe(edited);
    await call('git.restore', { root: ws.root, path: REL, revision: c1.commit, confirm: true });
    expect(await readFile(join(ws.root, REL), 'utf8')).toBe(serializePipeline(samplePipeline()));
  });

  it('commits only the chosen pipelines, and reports new and deleted ones', async () => {
    initRepo();
    const { call } = makeService(ws.home, { open: ws.root });
    await call('git.commit', { root: ws.root, files: [REL], message: 'one' });
    const other = { ...samplePipeline(), name: 'other' };
    await writeFile(join(ws.root, 'pipelines', 'other.weir.json'), serializePipeline(other));
    await editSql();
    expect((await call('git.status', { root: ws.root })).files).toEqual([
      { path: 'pipelines/other.weir.json', state: 'new' },
      { path: REL, state: 'modified' },
    ]);
    await call('git.commit', { root: ws.root, files: ['pipelines/other.weir.json'], message: 'add other' });
    expect((await call('git.status', { root: ws.root })).files).toEqual([
      { path: 'pipelines/other.weir.json', state: 'committed' },
      { path: REL, state: 'modified' },
    ]);
    await rm(join(ws.root, 'pipelines', 'other.weir.json'));
    expect((await call('git.status', { root: ws.root })).files[0]).toEqual({ path: 'pipelines/other.weir.json', state: 'deleted' });
  });

  it('refuses revisions that look like options and paths outside the workspace', async () => {
    initRepo();
    const { dispatch } = makeService(ws.home, { open: ws.root });
    expect(await dispatch('git.diff', { root: ws.root, path: REL, from: '--output=/tmp/x' })).toMatchObject({ ok: false, error: { kind: 'usage' } });
    expect(await dispatch('git.restore', { root: ws.root, path: '../x.weir.json', revision: 'HEAD' })).toMatchObject({ ok: false, error: { kind: 'usage' } });
  });
});
