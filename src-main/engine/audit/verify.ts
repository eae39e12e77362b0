import { createHash } from 'node:crypto';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  AUDIT_ENTRY_TYPES,
  GENESIS_HASH,
  entryBody,
  entryType,
  interruptedAppend,
  isSafeCoveredPath,
  auditHeadPath,
  auditLogPath,
  canonicalRecord,
  entryHash,
  readAuditLines,
  recordSha256,
  serializeEntry,
  type AuditEntry,
  type AuditHead,
} from './audit-log';
import { runsDirAt } from './runs-dir';
import { INTENT_FORMAT } from './publish-intent';
import { interruptedSigningNotices, verifySignatureEntries } from './signatures/verify-signatures';
import type { Environment } from '../context';
import { readRegularFile, readRegularText } from '../host/regular-file';
import { privatePath } from '../host/private-folder';

export interface AuditProblem {
  /** 1-based line in log.jsonl, when the problem is at a line. */
  line?: number;
  seq?: number;
  runId?: string;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  logPath: string;
  records: number;
  head: AuditHead | null;
  problems: AuditProblem[];
  /**
   * Not tampering, but worth a look: runs that died between their publish intent and their
   * outcome (not yet reconciled by a later run), and run records the audit trail refused.
   */
  notices: AuditProblem[];
}

const HEX64 = /^[0-9a-f]{64}$/;

function who(e: { seq?: number; runId?: string }): string {
  const parts = [e.seq !== undefined ? `seq ${e.seq}` : '', e.runId ? `run ${e.runId}` : ''].filter(Boolean);
  return parts.join(', ');
}

/** What a damaged line still says about itself, so the problem can name the record. */
function salvage(line: string): { seq?: number; runId?: string } {
  const seq = /"seq":(\d+)/.exec(line)?.[1];
  const runId = /"runId":"([^"\\]{1,80})"/.exec(line)?.[1];
  return { ...(seq ? { seq: Number(seq) } : {}), ...(runId ? { runId } : {}) };
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function wellFormed(v: unknown): v is AuditEntry {
  const e = v as AuditEntry;
  if (!isObject(e) || !Number.isInteger(e.seq) || e.seq <= 0 || typeof e.runId !== 'string') return false;
  if (!HEX64.test(String(e.recordSha256)) || !HEX64.test(String(e.prevHash)) || !HEX64.test(String(e.hash))) return false;
  if (e.type !== undefined && !AUDIT_ENTRY_TYPES.includes(e.type)) return false;
  if (e.files !== undefined && (e.type === undefined || !Array.isArray(e.files) || !e.files.every((f) => isObject(f) && typeof f.path === 'string' && HEX64.test(String(f.sha256))))) return false;
  // A run holds `record`, the other types `payload`, never both.
  return entryType(e) === 'run' ? isObject(e.record) && e.payload === undefined : isObject(e.payload) && e.record === undefined;
}

/** Integrity of one line on its own: it parses, its record and hash match, it is in canonical form. */
export function checkLine(line: string, n: number): { entry: AuditEntry | null; problem: AuditProblem | null } {
  const at = (e: { seq?: number; runId?: string }, message: string): AuditProblem => ({ line: n, ...e, message });
  if (line.trim() === '') return { entry: null, problem: at({}, 'empty line (a record was removed or the file edited)') };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { entry: null, problem: at(salvage(line), 'the line is not valid JSON: edited or damaged') };
  }
  if (!wellFormed(parsed)) return { entry: null, problem: at(salvage(line), 'not an audit entry (fields missing or of the wrong type): edited') };
  const e = parsed;
  const id = { seq: e.seq, runId: e.runId };
  const canonical = canonicalRecord(entryBody(e));
  const body = entryType(e) === 'run' ? 'record' : `${entryType(e)} payload`;
  if (canonical.sha256 !== e.recordSha256) {
    return { entry: e, problem: at(id, `the ${body} was edited: its content no longer matches its recordSha256`) };
  }
  if (e.record && e.record.runId !== e.runId) return { entry: e, problem: at(id, `the entry's runId differs from its record's (${String(e.record.runId)}): edited`) };
  if (entryHash(e) !== e.hash) return { entry: e, problem: at(id, `the entry was edited: its hash does not match its seq, ${e.type === undefined ? '' : 'type, files, '}runId, recordSha256 and prevHash`) };
  if (serializeEntry(e, canonical.json) !== line) return { entry: e, problem: at(id, 'the line was edited: it is not byte-for-byte as written') };
  return { entry: e, problem: null };
}

/**
 * Order and chain: seq runs 1, 2, 3... and each entry's prevHash is the hash of the entry
 * before it. Names swapped pairs, gaps (deleted records) and broken links.
 */
function checkChain(entries: { line: number; entry: AuditEntry | null }[]): AuditProblem[] {
  const problems: AuditProblem[] = [];
  let prev: { line: number; entry: AuditEntry } | null = null;
  let unknownBefore = false;
  for (let i = 0; i < entries.length; i++) {
    const cur = entries[i]!;
    if (!cur.entry) {
      unknownBefore = true;
      continue;
    }
    const e = cur.entry;
    const at = (message: string): AuditProblem => ({ line: cur.line, seq: e.seq, runId: e.runId, message });
    if (!prev) {
      if (!unknownBefore) {
        if (e.seq !== 1) problems.push(at(`the log starts at seq ${e.seq}: ${e.seq === 2 ? 'seq 1 was' : `seq 1 to ${e.seq - 1} were`} deleted`));
        else if (e.prevHash !== GENESIS_HASH) problems.push(at('the first entry does not start the chain (prevHash is not all zeros): entries before it were deleted'));
      }
      prev = { line: cur.line, entry: e };
      unknownBefore = false;
      continue;
    }
    const p: AuditEntry = prev.entry;
    const next = entries[i + 1]?.entry;
    if (!unknownBefore) {
      if (next && e.seq === p.seq + 2 && next.seq === p.seq + 1) {
        problems.push(at(`records seq ${next.seq} (run ${next.runId}) and seq ${e.seq} (run ${e.runId}) are in swapped order`));
        // Judge the pair as a unit and carry on after it.
        prev = { line: cur.line + 1, entry: e.seq > next.seq ? e : next };
        i++;
        continue;
      }
      if (e.seq > p.seq + 1) {
        const missing = e.seq === p.seq + 2 ? `seq ${p.seq + 1} is` : `seq ${p.seq + 1} to ${e.seq - 1} are`;
        problems.push(at(`${missing} missing between seq ${p.seq} (run ${p.runId}) and seq ${e.seq} (run ${e.runId}): deleted`));
      } else if (e.seq <= p.seq) {
        problems.push(at(`out of order: seq ${e.seq} comes after seq ${p.seq} (run ${p.runId}): records moved or duplicated`));
      } else if (p.type !== undefined && e.type === undefined) {
        problems.push(at(`an entry in the old untyped form follows typed entries (seq ${p.seq}): written by hand, not by Weir`));
      } else if (e.prevHash !== p.hash) {
        problems.push(at(`the chain is broken: prevHash is not the hash of seq ${p.seq} (run ${p.runId}): an entry was replaced or re-hashed`));
      }
    }
    prev = { line: cur.line, entry: e };
    unknownBefore = false;
  }
  return problems;
}

async function readHead(workspaceRoot: string): Promise<AuditHead | null | 'damaged'> {
  try {
    const h = JSON.parse(await readRegularText(auditHeadPath(workspaceRoot))) as AuditHead;
    return Number.isInteger(h.seq) && typeof h.hash === 'string' ? h : 'damaged';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'damaged';
  }
}

/** Run record files under .weir/runs that the log lacks, or that differ from the log. */
async function checkRunFiles(workspaceRoot: string, entries: AuditEntry[]): Promise<AuditProblem[]> {
  const dir = runsDirAt(workspaceRoot);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  // A run's record entry (its publish intent and a reconciliation share its id, not its record).
  const byRun = new Map(entries.filter((e) => (e.record as { format?: unknown } | undefined)?.format === 'weir.run').map((e) => [e.runId, e]));
  const problems: AuditProblem[] = [];
  for (const name of names) {
    const path = join(dir, name);
    let record: { runId?: unknown };
    try {
      record = JSON.parse(await readRegularText(path)) as { runId?: unknown };
    } catch {
      continue;
    }
    if (typeof record.runId !== 'string') continue;
    const rel = relative(workspaceRoot, path);
    const entry = byRun.get(record.runId);
    if (!entry) problems.push({ runId: record.runId, message: `${rel} is a run record with no entry in the audit log: its entry was deleted` });
    else if (recordSha256(record) !== entry.recordSha256) {
      problems.push({ seq: entry.seq, runId: entry.runId, message: `${rel} differs from the audit log's record (seq ${entry.seq}): one of them was edited` });
    }
  }
  return problems;
}

const sha256File = async (path: string) => createHash('sha256').update(await readRegularFile(path)).digest('hex');

/**
 * The files the entries cover (run files, reports), hashed again: each must exist and be
 * byte-for-byte what its entry says. A path that would leave the workspace is itself forged.
 */
export async function checkCoveredFiles(workspaceRoot: string, entries: readonly AuditEntry[]): Promise<AuditProblem[]> {
  const problems: AuditProblem[] = [];
  for (const e of entries) {
    for (const f of e.files ?? []) {
      const at = (message: string): AuditProblem => ({ seq: e.seq, runId: e.runId, message });
      if (!isSafeCoveredPath(f.path)) {
        problems.push(at(`covers ${JSON.stringify(f.path)}, a path outside the workspace: forged`));
        continue;
      }
      let actual: string;
      try {
        // Followed to where it really is: a symlink out of the workspace, a FIFO or a folder is not read.
        const real = await realpath(join(workspaceRoot, ...f.path.split('/')));
        const rootReal = await realpath(workspaceRoot);
        if (!real.startsWith(rootReal + sep)) {
          problems.push(at(`${f.path} leads out of the workspace (a symlink): not read`));
          continue;
        }
        if (!(await stat(real)).isFile()) {
          problems.push(at(`${f.path} is not a regular file: not read`));
          continue;
        }
        actual = await sha256File(real);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        problems.push(at(code === 'ENOENT' ? `${f.path} is missing: deleted (its hash is in this entry)` : `${f.path} cannot be read (${code ?? 'error'})`));
        continue;
      }
      if (actual !== f.sha256) problems.push(at(`${f.path} was edited: its SHA-256 is not the one in this entry`));
    }
  }
  return problems;
}

/** Reports of runs the log has no entry for: the entry (and maybe its run file) was deleted. */
async function checkOrphanReports(workspaceRoot: string, entries: readonly AuditEntry[]): Promise<AuditProblem[]> {
  const known = new Set(entries.map((e) => e.runId));
  let names: string[];
  try {
    names = (await readdir(privatePath(workspaceRoot, 'reports'))).filter((n) => n.endsWith('.html')).sort();
  } catch {
    return [];
  }
  return names
    .filter((n) => !known.has(n.slice(0, -'.html'.length)))
    .map((n) => ({ runId: n.slice(0, -'.html'.length), message: `.weir/reports/${n} is the report of a run with no entry in the audit log: its entry was deleted` }));
}

/** Checks the whole audit trail of a workspace; every problem names the record it concerns. */
export async function verifyAuditLog(workspaceRoot: string, o: { processEnv?: Environment } = {}): Promise<AuditVerification> {
  const logPath = auditLogPath(workspaceRoot);
  const lines = await readAuditLines(workspaceRoot);
  const head = await readHead(workspaceRoot);
  const problems: AuditProblem[] = [];
  const checked = (lines ?? []).map((l, i) => ({ line: i + 1, ...checkLine(l, i + 1) }));
  for (const c of checked) if (c.problem) problems.push(c.problem);
  problems.push(...checkChain(checked));
  const entries = checked.flatMap((c) => (c.entry ? [c.entry] : []));
  const last = checked.length ? checked[checked.length - 1]!.entry : null;
  let headNotice: AuditProblem | null = null;

  if (head === 'damaged') problems.push({ message: `${relative(workspaceRoot, auditHeadPath(workspaceRoot))} is damaged` });
  else if (head && !lines) problems.push({ seq: head.seq, runId: head.runId, message: `the audit log is missing, but its head says it held seq ${head.seq} (run ${head.runId}): deleted` });
  else if (head && last && (head.seq !== last.seq || head.hash !== last.hash)) {
    if (headUpdateInterrupted(head, entries, last)) {
      // Appending writes the entry, then the head: a process killed between the two leaves the
      // head up to a few entries behind entries that chain correctly. The next append brings it up.
      headNotice = { seq: last.seq, runId: last.runId, message: `the head still says seq ${head.seq}: the last append was interrupted before its head was written (not tampering; the next run updates it)` };
    } else {
      const what = head.seq > last.seq ? `: records after seq ${last.seq} were deleted` : '';
      problems.push({ seq: head.seq, runId: head.runId, message: `the log ends at ${who(last)} but its head says seq ${head.seq} (run ${head.runId})${what}` });
    }
  } else if (!head && lines?.length) {
    // The very first append killed before its head was written.
    if (entries.length === 1 && last?.seq === 1) headNotice = { seq: 1, runId: last.runId, message: 'no head yet: the first append was interrupted before its head was written (not tampering)' };
    else problems.push({ message: `${relative(workspaceRoot, auditHeadPath(workspaceRoot))} is missing` });
  }

  problems.push(...(await checkRunFiles(workspaceRoot, entries)));
  problems.push(...(await checkCoveredFiles(workspaceRoot, entries)));
  problems.push(...(await checkOrphanReports(workspaceRoot, entries)));
  // Signatures against signers.json as of their time (git runs with the shell's environment; without one, the current file decides).
  problems.push(...(await verifySignatureEntries(workspaceRoot, entries, o.processEnv ?? null)));
  problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  const notices = [...(headNotice ? [headNotice] : []), ...openIntents(entries), ...interruptedSigningNotices(entries), ...(await unauditedRecords(workspaceRoot))];
  return { ok: problems.length === 0, logPath, records: lines?.length ?? 0, head: head === 'damaged' ? null : head, problems, notices };
}

/** The head a little behind entries that chain onto it, as one append writes them: an append cut short, not a deletion. */
function headUpdateInterrupted(head: AuditHead, entries: readonly AuditEntry[], last: AuditEntry): boolean {
  return head.seq < last.seq && interruptedAppend(entries, head);
}

/** Publish intents with no run record and no reconciliation after them: runs that died while publishing. */
function openIntents(entries: readonly AuditEntry[]): AuditProblem[] {
  const closed = new Set<string>();
  const open = new Map<string, AuditEntry>();
  for (const e of entries) {
    if (entryType(e) !== 'run') continue;
    const format = (e.record as { format?: unknown } | undefined)?.format;
    if (format === INTENT_FORMAT) open.set(e.runId, e);
    else closed.add(e.runId);
  }
  return [...open.values()]
    .filter((e) => !closed.has(e.runId))
    .map((e) => ({
      seq: e.seq,
      runId: e.runId,
      message: 'the run recorded its intent to publish and no outcome: it died while publishing (not tampering); the next run of this workspace reconciles it',
    }));
}

/** Run records written apart because the audit trail refused them (damaged log, lock held). */
async function unauditedRecords(workspaceRoot: string): Promise<AuditProblem[]> {
  let names: string[];
  try {
    names = (await readdir(join(runsDirAt(workspaceRoot), 'unaudited'))).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((n) => ({ runId: n.replace(/\.json$/, ''), message: `runs/unaudited/${n}: the audit trail refused this run's record; its publishing section says what it published` }));
}

export function describeProblem(p: AuditProblem): string {
  const where = [p.line !== undefined ? `line ${p.line}` : '', who(p)].filter(Boolean).join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}
