import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/canonical-json';
import { GENESIS_HASH, appendAuditEntry, appendAuditRecord, auditDir, auditHeadPath, auditLogPath, readAuditEntries } from '../../../src-main/engine/audit/audit-log';
import { describeProblem, verifyAuditLog } from '../../../src-main/engine/audit/verify';
import { tempDir } from '../../support/temp-dir';
import { fakeRecord } from './fake-record';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const lines = (root: string) => readFileSync(auditLogPath(root), 'utf8').split('\n').slice(0, -1);
const writeLines = (root: string, ls: string[]) => writeFileSync(auditLogPath(root), ls.map((l) => l + '\n').join(''));

/** A log as builds before entry types wrote it: hash domain weir.audit.v1, no type, no files. */
function legacyLog(root: string, n: number): { seq: number; hash: string; runId: string } {
  mkdirSync(auditDir(root), { recursive: true });
  let prev = GENESIS_HASH;
  const out: string[] = [];
  let last = { seq: 0, hash: prev, runId: '' };
  for (let seq = 1; seq <= n; seq++) {
    const record = fakeRecord(seq);
    const json = canonicalJson(record);
    const recordSha256 = sha(json);
    const hash = sha(`weir.audit.v1\n${seq}\n${record.runId}\n${recordSha256}\n${prev}`);
    out.push(`{"seq":${seq},"runId":"${record.runId}","recordSha256":"${recordSha256}","prevHash":"${prev}","hash":"${hash}","record":${json}}`);
    prev = hash;
    last = { seq, hash, runId: record.runId };
  }
  writeLines(root, out);
  writeFileSync(auditHeadPath(root), JSON.stringify(last));
  return last;
}

describe('audit entry format: types, payloads, covered files', () => {
  it('a log written before types existed still verifies, reads as runs, and new typed entries chain onto it', async () => {
    const root = tempDir('weir-entry-legacy-');
    const head = legacyLog(root, 2);
    expect((await verifyAuditLog(root)).ok).toBe(true);
    const sig = await appendAuditEntry(root, { type: 'signature', runId: head.runId, payload: { meaning: 'approved', signer: 'QA' } });
    expect(sig).toMatchObject({ seq: 3, type: 'signature', prevHash: head.hash, payload: { meaning: 'approved', signer: 'QA' } });
    expect(sig.record).toBeUndefined();
    const run = await appendAuditRecord(root, fakeRecord(3), { files: [{ path: '.weir/runs/x.json', sha256: 'c'.repeat(64) }] });
    expect(run.type).toBe('run');
    const entries = await readAuditEntries(root);
    expect(entries.map((e) => e.type)).toEqual(['run', 'run', 'signature', 'run']);
    // The covered file does not exist: verify says so, naming it; the chain itself is intact.
    const v = await verifyAuditLog(root);
    expect(v.problems.map(describeProblem)).toEqual([`seq 4, run ${fakeRecord(3).runId}: .weir/runs/x.json is missing: deleted (its hash is in this entry)`]);
  });

  it('the hash covers the type, the payload and the files: editing any of them is detected', async () => {
    const root = tempDir('weir-entry-v2-');
    writeFileSync(join(root, 'report.html'), 'PASS');
    await appendAuditRecord(root, fakeRecord(1), { files: [{ path: 'report.html', sha256: sha('PASS') }] });
    await appendAuditEntry(root, { type: 'state', runId: fakeRecord(1).runId, payload: { state: 'released' } });
    expect((await verifyAuditLog(root)).ok).toBe(true);
    const original = lines(root);
    const tampered: [string, (ls: string[]) => string[], RegExp][] = [
      ['type', (ls) => [ls[0]!, ls[1]!.replace('"type":"state"', '"type":"signature"')], /seq 2.*hash does not match/],
      ['payload', (ls) => [ls[0]!, ls[1]!.replace('"released"', '"rejected"')], /seq 2.*state payload was edited/],
      ['files', (ls) => [ls[0]!.replace(sha('PASS'), sha('FAIL')), ls[1]!], /seq 1.*hash does not match/],
      ['type dropped (v1 form)', (ls) => [ls[0]!, ls[1]!.replace('"type":"state",', '')], /seq 2/],
    ];
    for (const [what, edit, expected] of tampered) {
      writeLines(root, edit(original));
      const v = await verifyAuditLog(root);
      expect(v.ok, what).toBe(false);
      expect(v.problems.map(describeProblem).join('\n'), what).toMatch(expected);
    }
    writeLines(root, original);
    writeFileSync(join(root, 'report.html'), 'FAIL');
    expect((await verifyAuditLog(root)).problems.map(describeProblem)).toEqual([`seq 1, run ${fakeRecord(1).runId}: report.html was edited: its SHA-256 is not the one in this entry`]);
  });

  it('refuses covered paths outside the workspace, on append and in a forged line', async () => {
    const root = tempDir('weir-entry-paths-');
    for (const path of ['../outside.txt', '/etc/passwd', 'a/../../b', 'C:/x']) {
      await expect(appendAuditEntry(root, { type: 'run', runId: 'r', payload: fakeRecord(1), files: [{ path, sha256: 'a'.repeat(64) }] })).rejects.toThrow(/workspace-relative path/);
    }
  });
});

describe('covered files a hostile log names', () => {
  it('are never read outside the workspace nor when they are not regular files (no hang on a FIFO)', async () => {
    const { execFileSync } = await import('node:child_process');
    const { symlinkSync } = await import('node:fs');
    const root = tempDir('weir-entry-hostile-');
    const outside = tempDir('weir-entry-outside-');
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));
    execFileSync('mkfifo', [join(root, 'pipe')]);
    await appendAuditRecord(root, fakeRecord(1), { files: [{ path: 'link.txt', sha256: sha('secret') }, { path: 'pipe', sha256: 'a'.repeat(64) }] });
    const v = await verifyAuditLog(root);
    expect(v.problems.map(describeProblem)).toEqual([
      `seq 1, run ${fakeRecord(1).runId}: link.txt leads out of the workspace (a symlink): not read`,
      `seq 1, run ${fakeRecord(1).runId}: pipe is not a regular file: not read`,
    ]);
  });
});
