import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAuditEntry, appendAuditRecord } from '../../../src-main/engine/audit/audit-log';
import { ANCHOR_REF, readGitAnchors } from '../../../src-main/engine/audit/anchor/git-anchor';
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

describe('the lot of a run record (for weir evidence LOT)', () => {
  it('is the value of its lot, never the partition key name nor a parameter', () => {
    expect(recordLots({ lot: { key: 'batch_id', value: 'B0042' } })).toEqual(['B0042']);
    expect(recordLots({ lot: 'B0042' })).toEqual([]);
    expect(recordLots({ params: { batch_id: 'B9' } })).toEqual([]);
  });
});
