import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, appendAuditEntries, appendAuditRecord, auditHeadPath, auditLogPath, readAuditEntries } from '../../../src-main/engine/audit/audit-log';
import { canonicalJson } from '../../../shared/canonical-json';
import { describeProblem, verifyAuditLog } from '../../../src-main/engine/audit/verify';
import { tempDir } from '../../support/temp-dir';
import { fakeRecord } from './fake-record';

async function logOf(n: number): Promise<{ root: string; runIds: string[] }> {
  const root = tempDir('weir-audit-');
  const runIds: string[] = [];
  for (let i = 1; i <= n; i++) runIds.push((await appendAuditRecord(root, fakeRecord(i))).runId);
  return { root, runIds };
}

const lines = (root: string) => readFileSync(auditLogPath(root), 'utf8').split('\n').slice(0, -1);
const writeLines = (root: string, ls: string[]) => writeFileSync(auditLogPath(root), ls.map((l) => l + '\n').join(''));

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});

describe('audit log', () => {
  it('chains entries: seq 1, 2, 3, each prevHash the hash before it; head is the last', async () => {
    const { root, runIds } = await logOf(3);
    const entries = await readAuditEntries(root);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries.map((e) => e.runId)).toEqual(runIds);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(entries[2]!.prevHash).toBe(entries[1]!.hash);
    expect(entries[2]!.record).toEqual(fakeRecord(3));
    expect(JSON.parse(readFileSync(auditHeadPath(root), 'utf8'))).toEqual({ seq: 3, runId: runIds[2], hash: entries[2]!.hash });
    const v = await verifyAuditLog(root);
    expect(v).toMatchObject({ ok: true, records: 3, problems: [] });
  });

  it('is intact when there is no log yet', async () => {
    expect(await verifyAuditLog(tempDir())).toMatchObject({ ok: true, records: 0, head: null });
  });

  it('keeps one chain when runs append at the same time', async () => {
    const root = tempDir('weir-audit-');
    await Promise.all(Array.from({ length: 12 }, (_, i) => appendAuditRecord(root, fakeRecord(i + 1))));
    const entries = await readAuditEntries(root);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.runId)).size).toBe(12);
    expect((await verifyAuditLog(root)).ok).toBe(true);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const { root } = await logOf(1);
    // pid 2^22 + 1 is above Linux's pid_max default, so no such process runs.
    writeFileSync(join(root, '.weir/audit/log.lock'), `4194305\n${(await import('node:os')).hostname()}\n`);
    await appendAuditRecord(root, fakeRecord(2));
    expect((await readAuditEntries(root)).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('refuses to chain onto a damaged last line', async () => {
    const { root, runIds } = await logOf(2);
    const ls = lines(root);
    writeLines(root, [ls[0]!, ls[1]!.slice(0, 100)]);
    await expect(appendAuditRecord(root, fakeRecord(3))).rejects.toThrow(/its last line is damaged, so run .* was not appended/);
    expect(runIds).toHaveLength(2);
  });
});

describe('weir audit verify finds tampering and names the record', () => {
  it('one byte changed inside a record', async () => {
    const { root, runIds } = await logOf(4);
    const ls = lines(root);
    ls[2] = ls[2]!.replace('"user":"qa.analyst"', '"user":"qa.analyst"'.replace('qa', 'qb'));
    writeLines(root, ls);
    const v = await verifyAuditLog(root);
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatchObject({ line: 3, seq: 3, runId: runIds[2] });
    expect(describeProblem(v.problems[0]!)).toBe(`line 3, seq 3, run ${runIds[2]}: the record was edited: its content no longer matches its recordSha256`);
  });

  it('any single byte changed anywhere in the file', async () => {
    const { root } = await logOf(3);
    const original = readFileSync(auditLogPath(root));
    const lineOf = (pos: number) => original.subarray(0, pos).toString('latin1').split('\n').length;
    // Every 7th byte, and the first and last ones, each changed on its own.
    const positions = [0, original.length - 1, ...Array.from({ length: Math.floor(original.length / 7) }, (_, k) => k * 7 + 3)];
    for (const pos of positions) {
      const bytes = Buffer.from(original);
      bytes[pos] = bytes[pos] === 0x41 ? 0x42 : 0x41; // 'A' or 'B': never the same byte
      writeFileSync(auditLogPath(root), bytes);
      const v = await verifyAuditLog(root);
      expect(v.ok, `byte ${pos} changed`).toBe(false);
      // The line holding the byte; a changed newline joins its line to the next, under the same number.
      expect(v.problems[0]?.line, `byte ${pos}: ${describeProblem(v.problems[0]!)}`).toBe(lineOf(pos));
    }
  });

  it('a record deleted from the middle', async () => {
    const { root, runIds } = await logOf(5);
    const ls = lines(root);
    writeLines(root, [ls[0]!, ls[1]!, ls[3]!, ls[4]!]);
    const v = await verifyAuditLog(root);
    expect(v.ok).toBe(false);
    expect(v.problems).toHaveLength(1);
    expect(describeProblem(v.problems[0]!)).toBe(`line 3, seq 4, run ${runIds[3]}: seq 3 is missing between seq 2 (run ${runIds[1]}) and seq 4 (run ${runIds[3]}): deleted`);
  });

  it('the first record deleted', async () => {
    const { root } = await logOf(3);
    writeLines(root, lines(root).slice(1));
    const v = await verifyAuditLog(root);
    expect(v.problems.map(describeProblem)).toEqual([expect.stringMatching(/^line 1, seq 2, run .*: the log starts at seq 2: seq 1 was deleted$/)]);
  });

  it('the last record deleted: the head still names it', async () => {
    const { root, runIds } = await logOf(3);
    writeLines(root, lines(root).slice(0, 2));
    const v = await verifyAuditLog(root);
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatchObject({ seq: 3, runId: runIds[2] });
    expect(describeProblem(v.problems[0]!)).toContain('records after seq 2 were deleted');
  });

  it('an append killed between its entry and its head: a note, not tampering; two behind is tampering', async () => {
    const { root, runIds } = await logOf(3);
    const headAfter2 = JSON.parse(readFileSync(auditHeadPath(root), 'utf8')) as { seq: number };
    await appendAuditRecord(root, fakeRecord(4));
    // The head as it was before the fourth append (the process died before writing it).
    const all = await readAuditEntries(root);
    const third = all[2]!;
    writeFileSync(auditHeadPath(root), JSON.stringify({ seq: third.seq, runId: third.runId, hash: third.hash }));
    const v = await verifyAuditLog(root);
    expect(v.ok).toBe(true);
    expect(v.notices[0]!.message).toContain('the last append was interrupted before its head was written');
    // The next append brings the head up to date.
    await appendAuditRecord(root, fakeRecord(5));
    expect((await verifyAuditLog(root)).notices).toEqual([]);
    // A head two entries behind is not an interrupted append.
    const second = (await readAuditEntries(root))[1]!;
    writeFileSync(auditHeadPath(root), JSON.stringify({ seq: second.seq, runId: second.runId, hash: second.hash }));
    expect((await verifyAuditLog(root)).ok).toBe(false);
    expect(headAfter2.seq).toBe(3);
    expect(runIds).toHaveLength(3);
  });

  it("a signing's batch (signature and state in one append) killed before its head: a note; two runs behind is not", async () => {
    const { root, runIds } = await logOf(2);
    const headBefore = readFileSync(auditHeadPath(root), 'utf8');
    const written = await appendAuditEntries(root, async ({ nextSeq }) => [
      { type: 'signature', runId: runIds[1]!, payload: { other: 'tool', seq: nextSeq } },
      { type: 'state', runId: runIds[1]!, payload: { other: 'tool', seq: nextSeq + 1 } },
    ]);
    expect(written.map((e) => e.seq)).toEqual([3, 4]);
    writeFileSync(auditHeadPath(root), headBefore);
    const v = await verifyAuditLog(root);
    expect(v.ok).toBe(true);
    expect(v.notices[0]!.message).toContain('the last append was interrupted before its head was written');
    // The next append goes on from there and brings the head up.
    await appendAuditRecord(root, fakeRecord(5));
    expect((await verifyAuditLog(root)).notices).toEqual([]);
    // Nothing to append: nothing written, not even the head.
    const before = readFileSync(auditLogPath(root), 'utf8');
    expect(await appendAuditEntries(root, async () => [])).toEqual([]);
    expect(readFileSync(auditLogPath(root), 'utf8')).toBe(before);
  });

  it('two records swapped', async () => {
    const { root, runIds } = await logOf(5);
    const ls = lines(root);
    writeLines(root, [ls[0]!, ls[2]!, ls[1]!, ls[3]!, ls[4]!]);
    const v = await verifyAuditLog(root);
    expect(v.ok).toBe(false);
    expect(v.problems.map(describeProblem)).toEqual([
      `line 2, seq 3, run ${runIds[2]}: records seq 2 (run ${runIds[1]}) and seq 3 (run ${runIds[2]}) are in swapped order`,
    ]);
  });

  it('two records far apart swapped', async () => {
    const { root, runIds } = await logOf(5);
    const ls = lines(root);
    writeLines(root, [ls[3]!, ls[1]!, ls[2]!, ls[0]!, ls[4]!]);
    const v = await verifyAuditLog(root);
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatchObject({ line: 1, seq: 4, runId: runIds[3] });
  });

  it('a record replaced by a re-hashed forgery (seq kept, chain link broken)', async () => {
    const { root, runIds } = await logOf(3);
    const other = tempDir('weir-audit-forge-');
    // Same seq 2 in another log, whose prevHash is another chain's.
    await appendAuditRecord(other, fakeRecord(9));
    await appendAuditRecord(other, fakeRecord(2, { status: 'failed' }));
    const forged = lines(other)[1]!;
    const ls = lines(root);
    writeLines(root, [ls[0]!, forged, ls[2]!]);
    const v = await verifyAuditLog(root);
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatchObject({ line: 2, seq: 2, runId: runIds[1] });
    expect(v.problems[0]!.message).toMatch(/chain is broken/);
  });

  it('a run record file edited, or a run missing from the log', async () => {
    const { root, runIds } = await logOf(2);
    mkdirSync(join(root, '.weir/runs'), { recursive: true });
    writeFileSync(join(root, '.weir/runs', `${runIds[0]}.json`), JSON.stringify(fakeRecord(1, { status: 'failed' }), null, 2));
    writeFileSync(join(root, '.weir/runs', `${runIds[1]}.json`), JSON.stringify(fakeRecord(2), null, 2));
    writeFileSync(join(root, '.weir/runs', 'lost.json'), JSON.stringify(fakeRecord(7), null, 2));
    const v = await verifyAuditLog(root);
    expect(v.problems.map(describeProblem)).toEqual([
      `seq 1, run ${runIds[0]}: .weir/runs/${runIds[0]}.json differs from the audit log's record (seq 1): one of them was edited`,
      `run ${fakeRecord(7).runId}: .weir/runs/lost.json is a run record with no entry in the audit log: its entry was deleted`,
    ]);
  });
});
