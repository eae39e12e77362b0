import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAuditEntry, appendAuditRecord } from '../../../src-main/engine/audit/audit-log';
import { ANCHOR_REF, anchorRepo, readGitAnchors, writeGitAnchor } from '../../../src-main/engine/audit/anchor/git-anchor';
import { gitTimezone, startAnchorWriter } from '../../../src-main/engine/audit/anchor/anchor-writer';
import { verifyAnchors } from '../../../src-main/engine/audit/anchor/verify-anchors';
import { recordLots } from '../../../src-main/engine/audit/evidence/build';
import { tempDir } from '../../support/temp-dir';
import { fakeRecord } from '../../unit/audit/fake-record';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });
// The environment git needs to run at all; a hostile repository's own config is what is tested.
const env = { PATH: process.env.PATH, HOME: tempDir('weir-anchor-home-') };

describe('the git anchor', () => {
  it('records each head on refs/weir/audit without touching the branch, the index or the work tree', async () => {
    const repo = tempDir('weir-anchor-repo-');
    const ws = join(repo, 'workspaces', 'qc');
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, 'weir.workspace.json'), '{}');
    writeFileSync(join(repo, '.gitignore'), '.weir/\n');
    git(repo, 'init', '-q');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'one');
    writeFileSync(join(ws, 'staged.txt'), 'staged');
    git(repo, 'add', 'workspaces/qc/staged.txt');
    const before = { head: git(repo, 'rev-parse', 'HEAD'), status: git(repo, 'status', '--porcelain'), branch: git(repo, 'symbolic-ref', 'HEAD') };
    const entries = [];
    for (let i = 1; i <= 3; i++) entries.push(await appendAuditRecord(ws, fakeRecord(i), { env }));
    expect({ head: git(repo, 'rev-parse', 'HEAD'), status: git(repo, 'status', '--porcelain'), branch: git(repo, 'symbolic-ref', 'HEAD') }).toEqual(before);
    const { anchors } = await readGitAnchors(env, ws);
    expect(anchors.map((a) => [a.workspace, a.seq, a.hash])).toEqual(entries.map((e) => ['workspaces/qc', e.seq, e.hash]));
    expect(git(repo, 'rev-list', '--count', ANCHOR_REF).trim()).toBe('3');
    // A signature appended by a caller that passes no environment is anchored all the same.
    const sig = await appendAuditEntry(ws, { type: 'signature', runId: entries[2]!.runId, payload: { meaning: 'approved' } });
    expect((await readGitAnchors(env, ws)).anchors.at(-1)).toMatchObject({ seq: sig.seq, hash: sig.hash, type: 'signature' });
    expect((await verifyAnchors(ws, env)).ok).toBe(true);
  });

  it('a publish intent moves no anchor (the record after it does), and verify does not take it for a forged append', async () => {
    const repo = tempDir('weir-anchor-intent-');
    git(repo, 'init', '-q');
    const intent = await appendAuditRecord(repo, { format: 'weir.publish_intent', version: 1, runId: fakeRecord(1).runId } as never, { env });
    expect((await readGitAnchors(env, repo)).anchors).toEqual([]);
    const record = await appendAuditRecord(repo, fakeRecord(1), { env });
    expect((await readGitAnchors(env, repo)).anchors.map((a) => a.seq)).toEqual([record.seq]);
    expect(intent.seq).toBe(1);
    expect((await verifyAnchors(repo, env)).ok).toBe(true);
  });

  it('runs nothing a hostile repository configures: hooks, fsmonitor, commit signing', async () => {
    const repo = tempDir('weir-anchor-hostile-');
    git(repo, 'init', '-q');
    const marker = join(repo, 'PWNED');
    const evil = join(repo, 'evil.sh');
    writeFileSync(evil, `#!/bin/sh\ntouch ${marker}\n`);
    chmodSync(evil, 0o755);
    for (const hook of ['reference-transaction', 'post-commit', 'pre-commit']) {
      writeFileSync(join(repo, '.git', 'hooks', hook), `#!/bin/sh\ntouch ${marker}\n`);
      chmodSync(join(repo, '.git', 'hooks', hook), 0o755);
    }
    git(repo, 'config', 'core.fsmonitor', evil);
    git(repo, 'config', 'commit.gpgSign', 'true');
    git(repo, 'config', 'gpg.program', evil);
    await appendAuditRecord(repo, fakeRecord(1), { env, onAnchorProblem: (m) => expect.fail(m) });
    expect(existsSync(marker)).toBe(false);
    expect((await readGitAnchors(env, repo)).anchors).toHaveLength(1);
  });

  it('an anchor that cannot be written does not lose the entry; the next one covers it', async () => {
    const repo = tempDir('weir-anchor-heal-');
    git(repo, 'init', '-q');
    const problems: string[] = [];
    await appendAuditRecord(repo, fakeRecord(1), { env: { HOME: env.HOME, PATH: '/nonexistent' }, onAnchorProblem: (m) => problems.push(m) });
    expect(problems).toEqual([]); // no git on PATH: not a repository as far as the anchor can tell, nothing anchored
    const v1 = await verifyAnchors(repo, env);
    expect(v1.problems.map((p) => p.message)).toEqual([expect.stringMatching(/seq 1 is not in the git anchor .* holds nothing for this workspace/)]);
    await appendAuditRecord(repo, fakeRecord(2), { env });
    expect((await verifyAnchors(repo, env)).ok).toBe(true);
  });
});

describe('the anchor written by a git started with the run (anchor-writer.ts)', () => {
  const initRepo = (prefix: string) => {
    const repo = tempDir(prefix);
    git(repo, 'init', '-q');
    return repo;
  };
  const head = (i: number, at: string) => ({ seq: i, hash: String(i).repeat(64).slice(0, 64), runId: fakeRecord(i).runId, type: 'run', at });

  it('makes the very commit writeGitAnchor makes (same bytes, same id), first and next, on the same ref', async () => {
    const at = ['2026-12-07T05:00:01.000Z', '2026-12-07T05:00:02.000Z'];
    const plumbing = initRepo('weir-anchor-old-');
    for (const [i, t] of at.entries()) {
      const date = `${Math.floor(Date.parse(t) / 1000)} ${gitTimezone(new Date(t))}`;
      await writeGitAnchor({ ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, plumbing, head(i + 1, t));
    }
    const early = initRepo('weir-anchor-new-');
    for (const [i, t] of at.entries()) {
      const writer = startAnchorWriter(env, early, anchorRepo(env, early));
      await writer.ready;
      expect(await writer.write(env, early, head(i + 1, t))).toMatchObject({ seq: i + 1, workspace: '.' });
    }
    expect(git(early, 'rev-parse', ANCHOR_REF)).toBe(git(plumbing, 'rev-parse', ANCHOR_REF));
    expect(git(early, 'cat-file', '-p', ANCHOR_REF)).toBe(git(plumbing, 'cat-file', '-p', ANCHOR_REF));
    expect(git(early, 'rev-list', '--count', ANCHOR_REF).trim()).toBe('2');
  });

  it('writes no commit and leaves nothing behind when the run ends without an anchor', async () => {
    const repo = initRepo('weir-anchor-unused-');
    const writer = startAnchorWriter(env, repo, anchorRepo(env, repo));
    await writer.ready;
    const children = () => execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
    expect(children()).toContain('fast-import');
    writer.close();
    // Its git ends (this process's children, as ps lists them: no fast-import left).
    await expect.poll(() => children().split('\n').filter((l) => l.includes('fast-import'))).toEqual([]);
    expect(git(repo, 'for-each-ref').trim()).toBe('');
    expect(readdirSync(join(repo, '.git')).filter((n) => n.startsWith('fast_import_crash'))).toEqual([]);
    expect(readdirSync(join(repo, '.git', 'objects', 'pack'))).toEqual([]);
  });

  it('when another anchor moved the ref meanwhile, builds on it the old way: no anchor is lost', async () => {
    const repo = initRepo('weir-anchor-race-');
    const first = await appendAuditRecord(repo, fakeRecord(1), { env });
    // A run starts (its git is started, knowing seq 1's anchor)...
    const writer = startAnchorWriter(env, repo, anchorRepo(env, repo));
    await writer.ready;
    // ...another process appends and anchors seq 2...
    const second = await appendAuditRecord(repo, fakeRecord(2), { env });
    // ...then the run appends seq 3 with its early git.
    const third = await appendAuditRecord(repo, fakeRecord(3), { env, anchorWriter: writer, onAnchorProblem: (m) => expect.fail(m) });
    expect((await readGitAnchors(env, repo)).anchors.map((a) => [a.seq, a.hash])).toEqual([first, second, third].map((e) => [e.seq, e.hash]));
    expect((await verifyAnchors(repo, env)).ok).toBe(true);
  });

  it('runs nothing a hostile repository configures (the reference-transaction hook, fsmonitor)', async () => {
    const repo = initRepo('weir-anchor-hostile-early-');
    const marker = join(repo, 'PWNED');
    const evil = join(repo, 'evil.sh');
    writeFileSync(evil, `#!/bin/sh\ntouch ${marker}\n`);
    chmodSync(evil, 0o755);
    for (const hook of ['reference-transaction', 'post-commit', 'pre-commit']) {
      writeFileSync(join(repo, '.git', 'hooks', hook), `#!/bin/sh\ntouch ${marker}\n`);
      chmodSync(join(repo, '.git', 'hooks', hook), 0o755);
    }
    git(repo, 'config', 'core.fsmonitor', evil);
    const writer = startAnchorWriter(env, repo, anchorRepo(env, repo));
    await writer.ready;
    await writer.write(env, repo, head(1, '2026-12-07T05:00:01.000Z'));
    expect(existsSync(marker)).toBe(false);
    expect((await readGitAnchors(env, repo)).anchors.map((a) => a.seq)).toEqual([1]);
    // Written by the early git (the old way would have dated the commit now).
    expect(git(repo, 'log', '-1', '--format=%ct', ANCHOR_REF).trim()).toBe(String(Date.parse('2026-12-07T05:00:01.000Z') / 1000));
  });

  it('an anchor its git cannot write is written the old way, or reported as before', async () => {
    const repo = initRepo('weir-anchor-broken-early-');
    const writer = startAnchorWriter(env, repo, anchorRepo(env, repo));
    await writer.ready;
    // Another git holds the ref's lock: neither way can write the ref.
    mkdirSync(join(repo, '.git', 'refs', 'weir'), { recursive: true });
    writeFileSync(join(repo, '.git', 'refs', 'weir', 'audit.lock'), '');
    const problems: string[] = [];
    await appendAuditRecord(repo, fakeRecord(1), { env, anchorWriter: writer, onAnchorProblem: (m) => problems.push(m) });
    expect(problems).toEqual([expect.stringMatching(/^the git anchor of seq 1 was not written: git /)]);
  });
});

describe('the lot of a run record (for weir evidence LOT)', () => {
  it('is the value of its lot, never the partition key name nor a parameter', () => {
    expect(recordLots({ lot: { key: 'batch_id', value: 'B0042' } })).toEqual(['B0042']);
    expect(recordLots({ lot: 'B0042' })).toEqual([]);
    expect(recordLots({ params: { batch_id: 'B9' } })).toEqual([]);
  });
});
