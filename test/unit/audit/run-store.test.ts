import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRunRecord } from '../../../shared/run/formats';
import type { RunRecord } from '../../../shared/run/record';
import { appendAuditRecord, auditLogPath } from '../../../src-main/engine/audit/audit-log';
import { findAuditEntry, formatRunRecord, maskedEntry } from '../../../src-main/engine/audit/show';
import { getStoredRun, listAuditEntries, listStoredRuns, readRunAuditTrail } from '../../../src-main/engine/audit/run-store';
import { maskRunRecord } from '../../../src-main/engine/secrets/mask-run';
import { Redactor } from '../../../src-main/engine/secrets/redactor';
import { tempDir } from '../../support/temp-dir';
import { fullRecord, intent, reconciled } from '../shared/run/samples';
import { fakeRecord } from './fake-record';

const runs = (ws: string) => join(ws, '.weir', 'runs');
const unaudited = (ws: string) => join(ws, '.weir', 'runs', 'unaudited');

function writeRecord(dir: string, r: RunRecord, name = `${r.runId}.json`): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), JSON.stringify(r, null, 2) + '\n');
  return join(dir, name);
}

/** Records 1..6: 1, 2, 4, 6 audited, 3 and 5 refused by the audit trail (apart). */
function workspace(): string {
  const ws = tempDir('weir-run-store-');
  for (const i of [1, 2, 4, 6]) writeRecord(runs(ws), fakeRecord(i));
  for (const i of [3, 5]) writeRecord(unaudited(ws), fakeRecord(i));
  return ws;
}

const ids = (list: { runId: string }[]) => list.map((r) => r.runId);
const id = (i: number) => fakeRecord(i).runId;

describe('the run store: run record files', () => {
  it('lists both folders newest first, marking the records the audit trail refused', async () => {
    const ws = workspace();
    const { runs: all, skipped } = await listStoredRuns(ws);
    expect(ids(all)).toEqual([6, 5, 4, 3, 2, 1].map(id));
    expect(all.map((r) => r.audited)).toEqual([true, false, true, false, true, true]);
    expect(all[1]).toMatchObject({ path: join(unaudited(ws), `${id(5)}.json`), migratedFrom: null, record: fakeRecord(5) });
    expect(skipped).toEqual([]);
    expect(ids((await listStoredRuns(ws, { limit: 3 })).runs)).toEqual([6, 5, 4].map(id));
  });

  it('reads past the runs it is told to leave out, and only as far as the limit needs', async () => {
    const ws = workspace();
    const even = (r: RunRecord) => r.durationMs % 2 === 0;
    expect(ids((await listStoredRuns(ws, { limit: 2, accept: even })).runs)).toEqual([6, 4].map(id));
    // A damaged file older than the newest two is never read.
    writeFileSync(join(runs(ws), '20250101T000000Z-old.json'), '{');
    expect((await listStoredRuns(ws, { limit: 2 })).skipped).toEqual([]);
  });

  it('skips a damaged, foreign, newer or misnamed file with a note, and still lists the rest', async () => {
    const ws = workspace();
    const dir = runs(ws);
    writeFileSync(join(dir, '29990101T000000Z-half.json'), '{ "format": "weir.run", "vers');
    writeFileSync(join(dir, '29990101T000001Z-foreign.json'), JSON.stringify({ name: 'package', version: '1.0.0' }));
    writeFileSync(join(dir, '29990101T000002Z-newer.json'), JSON.stringify({ ...fakeRecord(9), runId: '29990101T000002Z-newer', version: 4 }));
    writeFileSync(join(dir, '29990101T000003Z-damaged.json'), JSON.stringify({ ...fakeRecord(9), runId: '29990101T000003Z-damaged', nodes: 'none' }));
    writeRecord(dir, fakeRecord(8), '29990101T000004Z-copy.json');
    mkdirSync(join(dir, '29990101T000005Z-folder.json'));
    writeFileSync(join(dir, 'notes.txt'), 'not a record');
    const { runs: all, skipped } = await listStoredRuns(ws);
    expect(ids(all)).toEqual([6, 5, 4, 3, 2, 1].map(id));
    const why = Object.fromEntries(skipped.map((s) => [s.path.slice(dir.length + 1), s.reason]));
    expect(why).toEqual({
      '29990101T000000Z-half.json': 'not valid JSON (a half-written or foreign file)',
      '29990101T000001Z-foreign.json': 'not a Weir run record: no "format" field (expected "weir.run")',
      '29990101T000002Z-newer.json': 'written by a newer Weir (run record version 4); this Weir reads versions up to 3. Upgrade Weir to read it.',
      '29990101T000003Z-damaged.json': expect.stringMatching(/^not a valid run record: nodes: /),
      '29990101T000004Z-copy.json': `holds run ${id(8)}, not the run its name says`,
      '29990101T000005Z-folder.json': 'cannot be read (a folder, not a regular file)',
    });
  });

  it('gets one run by its id or a prefix naming one run, in either folder', async () => {
    const ws = workspace();
    expect((await getStoredRun(ws, id(4)))?.record).toEqual(fakeRecord(4));
    expect(await getStoredRun(ws, id(5))).toMatchObject({ audited: false, runId: id(5) });
    expect((await getStoredRun(ws, id(3).slice(0, -2)))?.runId).toBe(id(3));
    await expect(getStoredRun(ws, '2026')).rejects.toThrow(/^"2026" matches 6 run record files \(.*…\): give more of the run id$/);
    expect(await getStoredRun(ws, 'nope')).toBeNull();
    expect(await getStoredRun(ws, '')).toBeNull();
    // The id is compared with file names, never joined into a path.
    writeRecord(join(ws, '.weir'), fakeRecord(7), 'outside.json');
    expect(await getStoredRun(ws, '../outside')).toBeNull();
    writeFileSync(join(runs(ws), '20270101T000000Z-bad.json'), '[]');
    await expect(getStoredRun(ws, '20270101T000000Z-bad')).rejects.toThrow(/20270101T000000Z-bad\.json: not a Weir run record: expected a JSON object, got an array$/);
  });

  it('never rewrites a stored file, and reads a masked record (secrets masked by default)', async () => {
    const ws = tempDir('weir-run-store-');
    const r = fullRecord();
    r.nodes[1]!.error = 'GET https://api.example/t/s3cr3t-token/items answered 500';
    const redactor = new Redactor();
    redactor.remember('s3cr3t-token');
    const path = writeRecord(runs(ws), maskRunRecord(redactor, r));
    const before = readFileSync(path, 'utf8');
    const got = await getStoredRun(ws, r.runId);
    expect(got?.record.nodes[1]!.error).toBe('GET https://api.example/t/***/items answered 500');
    expect(got?.record.pipeline).toEqual(r.pipeline);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});

describe('the run store: audit entries', () => {
  async function trail() {
    const ws = tempDir('weir-run-store-audit-');
    const dead = id(1);
    const ok = id(2);
    for (const p of [intent(dead), intent(ok), fakeRecord(2), reconciled(dead), fakeRecord(3)]) await appendAuditRecord(ws, p);
    return { ws, dead, ok };
  }

  it("reads a run's intent, record and reconciliation, checked by their formats", async () => {
    const { ws, dead, ok } = await trail();
    const published = await readRunAuditTrail(ws, ok);
    expect(published?.entries.map((e) => e.entry.seq)).toEqual([2, 3]);
    expect(published?.intent?.payload).toEqual({ kind: 'intent', intent: intent(ok), migratedFrom: null });
    expect(published?.record?.payload).toEqual({ kind: 'run', record: fakeRecord(2), migratedFrom: null });
    expect(published?.reconciled).toBeNull();
    const died = await readRunAuditTrail(ws, dead.slice(0, -1));
    expect(died).toMatchObject({ runId: dead, record: null });
    expect(died?.reconciled?.payload).toEqual({ kind: 'reconciled', reconciled: reconciled(dead), migratedFrom: null });
    await expect(readRunAuditTrail(ws, '2026')).rejects.toThrow(/matches 3 runs/);
    expect(await readRunAuditTrail(ws, 'nope')).toBeNull();
  });

  it('keeps an entry whose payload does not read, marked, and leaves out a damaged line', async () => {
    const { ws } = await trail();
    await appendAuditRecord(ws, { format: 'weir.lot', runId: 'lot-1' } as never);
    appendFileSync(auditLogPath(ws), '{"seq": 7, "damaged\n');
    const entries = await listAuditEntries(ws);
    expect(entries.map((e) => e.entry.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(entries[5]).toMatchObject({ line: 6, payload: { kind: 'unreadable', reason: expect.stringContaining('"format": "weir.lot"') } });
    const shown = formatRunRecord(await findAuditEntry(ws, 'lot-1'));
    expect(shown).toBe('run lot-1  (audit seq 6): its entry cannot be read: not a Weir audit entry payload: "format": "weir.lot" (expected "weir.run", "weir.publish_intent" or "weir.publish_reconciled")');
  });

  it('shows a run by its record, a dead run by its last entry, and masks both forms of an entry', async () => {
    const { ws, dead, ok } = await trail();
    expect(formatRunRecord(await findAuditEntry(ws, ok))).toMatch(new RegExp(`^run ${ok}  \\(audit seq 3, hash [0-9a-f]{16}…\\)\\nstatus     succeeded`));
    expect(formatRunRecord(await findAuditEntry(ws, dead))).toMatch(new RegExp(`^run ${dead}  \\(audit seq 4\\): died while publishing; reconciled by run .* at 2026-01-02T00:00:00.000Z\\n  out  /ws/data/curated/out.parquet  published: true \\(same SHA-256\\)`));
    const redactor = new Redactor();
    redactor.remember('/ws/data');
    const masked = maskedEntry(await findAuditEntry(ws, dead), redactor);
    expect(formatRunRecord(masked)).toContain('  out  ***/curated/out.parquet');
    expect(JSON.stringify(masked)).not.toContain('/ws/data');
    // What verify hashes is the stored entry: masking makes a copy.
    expect(readFileSync(auditLogPath(ws), 'utf8')).toContain('/ws/data');
  });

  it('reads every record the audit log holds with the same reader as the files', async () => {
    const { ws } = await trail();
    const records = (await listAuditEntries(ws)).flatMap((e) => (e.payload.kind === 'run' ? [e.entry.record] : []));
    expect(records.map((r) => readRunRecord(r).value.runId)).toEqual([id(2), id(3)]);
  });
});
