import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WeirError } from '../../../shared/errors';
import type { AuditPayload } from '../../../shared/run/formats';
import { canonicalJson } from '../../../shared/canonical-json';
import { withFileLock } from './file-lock';
import { runsDirAt } from './runs-dir';
import { readAuditConfig } from './anchor/config';
import { readGitAnchors, writeGitAnchor, type AnchorRepo } from './anchor/git-anchor';
import type { AnchorWriter } from './anchor/anchor-writer';
import type { Environment } from '../context';
import { openRegular, openRegularAppend, readRegularText } from '../host/regular-file';
import { privatePath } from '../host/private-folder';

/**
 * The audit trail: one JSON line per entry, a hash chain. An entry is of a `type`: `run` (a
 * run record, a publish intent or a reconciliation, held in `record`), `signature` or `state`
 * (held in `payload`, written by the signing and release-state features). Each holds the
 * SHA-256 of its body's canonical JSON (`recordSha256`, for `record` or `payload`), the
 * previous entry's hash, optionally the workspace files it covers (the run file, the HTML
 * report: path and SHA-256) and its own hash. Entries written before types existed (hash
 * domain `weir.audit.v1`: no `type`, no `files`) read as `run` and still verify; new entries
 * are hashed under `weir.audit.v2` over seq, type, runId, recordSha256, the files' hash and
 * prevHash. Editing, deleting or reordering an entry breaks the chain at that entry;
 * `head.json` holds the last seq and hash so that deleting entries from the end shows too.
 */
export type AuditEntryType = 'run' | 'signature' | 'state';
export const AUDIT_ENTRY_TYPES: readonly AuditEntryType[] = ['run', 'signature', 'state'];

/** A workspace file an entry vouches for: its workspace-relative path (forward slashes) and SHA-256. */
export interface CoveredFile {
  path: string;
  sha256: string;
}

export interface AuditEntry {
  seq: number;
  /** Absent in entries written before types existed (`weir.audit.v1`): read as `run`. */
  type?: AuditEntryType;
  runId: string;
  /** SHA-256 of the canonical JSON of `record` (type run) or `payload` (other types). */
  recordSha256: string;
  prevHash: string;
  hash: string;
  files?: CoveredFile[];
  /** Type run: as stored; read it through the run store (run-store.ts) to have it checked by its format. */
  record?: AuditPayload;
  /** Types signature and state: whatever their feature puts there, hashed as stored. */
  payload?: Record<string, unknown>;
}

/** A run entry that is a publish intent or a reconciliation rather than a run's record. */
export function isPublishPhase(e: Pick<AuditEntry, 'type' | 'record'>): boolean {
  const format = (e.record as { format?: unknown } | undefined)?.format;
  return entryType(e) === 'run' && format !== undefined && format !== 'weir.run';
}

/** The type of an entry as it reads: entries from before types existed are runs. */
export const entryType = (e: Pick<AuditEntry, 'type'>): AuditEntryType => e.type ?? 'run';

/** What the entry holds: its record (type run) or its payload. */
export const entryBody = (e: AuditEntry): unknown => (entryType(e) === 'run' ? e.record : e.payload);

export interface AuditHead {
  seq: number;
  runId: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
const HASH_DOMAIN_V1 = 'weir.audit.v1';
const HASH_DOMAIN_V2 = 'weir.audit.v2';

export function auditDir(workspaceRoot: string): string {
  return privatePath(workspaceRoot, 'audit');
}
export function auditLogPath(workspaceRoot: string): string {
  return privatePath(workspaceRoot, 'audit', 'log.jsonl');
}
export function auditHeadPath(workspaceRoot: string): string {
  return join(auditDir(workspaceRoot), 'head.json');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function recordSha256(record: unknown): string {
  return sha256(canonicalJson(record));
}

/** A record's canonical JSON and its hash, built once for both the hash and the line. */
export function canonicalRecord(record: unknown): { json: string; sha256: string } {
  const json = canonicalJson(record);
  return { json, sha256: sha256(json) };
}

/** The hash of the files an entry covers (an empty list when it covers none). */
export function filesSha256(files: readonly CoveredFile[] | undefined): string {
  return sha256(canonicalJson(files ?? []));
}

/** An entry's own hash: v1 (no type) over seq, runId, recordSha256, prevHash; v2 also over type and files. */
export function entryHash(e: Pick<AuditEntry, 'seq' | 'type' | 'runId' | 'recordSha256' | 'prevHash' | 'files'>): string {
  if (e.type === undefined) return sha256(`${HASH_DOMAIN_V1}\n${e.seq}\n${e.runId}\n${e.recordSha256}\n${e.prevHash}`);
  return sha256(`${HASH_DOMAIN_V2}\n${e.seq}\n${e.type}\n${e.runId}\n${e.recordSha256}\n${filesSha256(e.files)}\n${e.prevHash}`);
}

/**
 * The one byte form of an entry (fixed envelope order, canonical body): verify re-derives it.
 * `bodyJson` is `canonicalJson(entryBody(e))`, which the caller has already built for the hash.
 */
export function serializeEntry(e: AuditEntry, bodyJson: string): string {
  const chain = `"recordSha256":${JSON.stringify(e.recordSha256)},"prevHash":${JSON.stringify(e.prevHash)},"hash":${JSON.stringify(e.hash)}`;
  if (e.type === undefined) return `{"seq":${JSON.stringify(e.seq)},"runId":${JSON.stringify(e.runId)},${chain},"record":${bodyJson}}`;
  const files = e.files === undefined ? '' : `"files":${canonicalJson(e.files)},`;
  const body = e.type === 'run' ? 'record' : 'payload';
  return `{"seq":${JSON.stringify(e.seq)},"type":${JSON.stringify(e.type)},"runId":${JSON.stringify(e.runId)},${chain},${files}"${body}":${bodyJson}}`;
}

const SAFE_REL = /^(?!\/)(?![A-Za-z]:)(?!.*(?:^|\/)\.\.(?:\/|$))[^\\\0]+$/;

/** A covered file's path must stay inside the workspace: relative, forward slashes, no `..`. */
export function isSafeCoveredPath(path: unknown): path is string {
  return typeof path === 'string' && path.length > 0 && path.length <= 1024 && SAFE_REL.test(path);
}

/** The last line of a file, read from the end so that appending stays fast as the log grows. */
async function lastLine(path: string): Promise<string | null> {
  let fh;
  try {
    fh = await openRegular(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const { size } = await fh.stat();
    let end = size;
    let tail = Buffer.alloc(0);
    // Skip the final newline, then read backwards until the one before it.
    while (end > 0) {
      const start = Math.max(0, end - 65536);
      const chunk = Buffer.alloc(end - start);
      await fh.read(chunk, 0, chunk.length, start);
      tail = Buffer.concat([chunk, tail]);
      end = start;
      const body = tail.subarray(0, tail.length - (tail[tail.length - 1] === 0x0a ? 1 : 0));
      const nl = body.lastIndexOf(0x0a);
      if (nl >= 0) return body.subarray(nl + 1).toString('utf8');
    }
    const text = tail.toString('utf8').replace(/\n$/, '');
    return text === '' ? null : text;
  } finally {
    await fh.close();
  }
}

function parseEntry(line: string): AuditEntry | null {
  try {
    const e = JSON.parse(line) as AuditEntry;
    return typeof e.seq === 'number' && typeof e.hash === 'string' ? e : null;
  } catch {
    return null;
  }
}

/**
 * What an audit entry holds: a run record (`format: "weir.run"`, the outcome of a run), or
 * one of the publish-phase entries (audit/publish-intent.ts): the intent a run records just
 * before it publishes, and the reconciliation a later run records for a run that died
 * between its intent and its outcome. Each has its schema in shared/run/.
 */
export type { AuditPayload };

export interface AppendOptions {
  /** How long to wait for another run's lock: the engine's settings (auditLockWaitMs); 60 s. */
  lockWaitMs?: number;
  /**
   * The environment git runs with for the git anchor: the engine context's processEnv.
   * Without it git runs with an empty environment (found on the default search path, no
   * user config); where that fails the entry is not anchored here, and the next anchor,
   * which names the newer head, vouches for it.
   */
  env?: Environment;
  /** Told when the git anchor could not be written (the entry is appended all the same; the next anchor covers it). */
  onAnchorProblem?: (message: string) => void;
  /**
   * False: this entry moves no anchor, because another entry of the same `weir run` follows at
   * once and anchors the newer head, which vouches for this one (a partitioned run's lots: only
   * the last lot's record anchors; docs/lots.md). Default true. A function is asked under the
   * log's lock, as the entry is appended: lots that run at once append in any order, and the
   * last appended must be the one that anchors.
   */
  anchor?: boolean | (() => boolean);
  /** The workspace's repository (or null: none), asked when the run started; else asked here. */
  repo?: Promise<AnchorRepo>;
  /** A run's: the git started with the run writes the anchor (anchor/anchor-writer.ts); else git is started here. */
  anchorWriter?: AnchorWriter;
}

/** What to append: `payload` is the run record (or publish entry) for type run, else the signature or state. */
export interface NewAuditEntry {
  type: AuditEntryType;
  runId: string;
  payload: AuditPayload | Record<string, unknown>;
  files?: CoveredFile[];
}

/**
 * Appends a run record to the workspace's audit log under a lock, chained to the last entry,
 * with the files it covers (its run file, its report).
 */
export async function appendAuditRecord(workspaceRoot: string, record: AuditPayload, o: AppendOptions & { files?: CoveredFile[] } = {}): Promise<AuditEntry> {
  return appendAuditEntry(workspaceRoot, { type: 'run', runId: record.runId, payload: record, ...(o.files ? { files: o.files } : {}) }, o);
}

/**
 * Appends one entry of any type under the log's lock, chained to the last entry, and writes
 * the head. Refuses to chain onto a damaged last line, and to start a new chain (or go on
 * from a shortened one) where the workspace shows runs were recorded: that is a deleted or
 * truncated trail, and `weir audit verify` must be looked at first.
 */
export async function appendAuditEntry(workspaceRoot: string, next: NewAuditEntry, o: AppendOptions = {}): Promise<AuditEntry> {
  const [entry] = await appendAuditEntries(workspaceRoot, async () => [next], o);
  return entry!;
}

/**
 * The most entries one locked append writes (a signing: the state change an interrupted
 * signing left out, the signature, its state change). An append cut short before its head
 * leaves the head at most this many entries behind an intact chain.
 */
export const MAX_APPEND_BATCH = 4;

/** Test hook, env only: die (SIGKILL) after the first line of a multi-entry append, as a crash would. */
const CRASH_HOOK = 'WEIR_TEST_CRASH_MID_APPEND';

/**
 * One locked transaction on the trail: takes the log's lock, then asks `build` (which may
 * re-read the trail: nothing else appends meanwhile) what to append, given the seq the first
 * new entry gets; the entries are written with one write and one fsync, then the head, then
 * the git anchor of the last one. `build` throwing, or returning nothing, appends nothing.
 */
export async function appendAuditEntries(
  workspaceRoot: string,
  build: (at: { nextSeq: number }) => Promise<NewAuditEntry[]>,
  o: AppendOptions = {},
): Promise<AuditEntry[]> {
  // A bad weir.audit.json stops the append before anything is written.
  const config = await readAuditConfig(workspaceRoot);
  const dir = auditDir(workspaceRoot);
  await mkdir(dir, { recursive: true });
  const logPath = auditLogPath(workspaceRoot);
  return withFileLock(join(dir, 'log.lock'), async () => {
    const last = await lastLine(logPath);
    const prev = last === null ? null : parseEntry(last);
    const nextSeq = (prev?.seq ?? 0) + 1;
    const batch = await build({ nextSeq });
    if (!batch.length) return [];
    if (batch.length > MAX_APPEND_BATCH) throw new WeirError('internal', `an audit append of ${batch.length} entries (at most ${MAX_APPEND_BATCH})`);
    for (const next of batch) checkNewEntry(next);
    const firstRunId = batch[0]!.runId;
    if (last !== null && !prev) {
      throw new WeirError('internal', `audit log ${logPath}: its last line is damaged, so run ${firstRunId} was not appended (run "weir audit verify")`);
    }
    await refuseBrokenStart(workspaceRoot, prev, firstRunId, o.env, o.repo);
    const entries: AuditEntry[] = [];
    const lines: string[] = [];
    let prevHash = prev?.hash ?? GENESIS_HASH;
    for (const [i, next] of batch.entries()) {
      // The body as it reads back from JSON (undefined fields dropped), so the hash verifies later.
      const stored = JSON.parse(JSON.stringify(next.payload)) as Record<string, unknown>;
      const canonical = canonicalRecord(stored);
      const base = {
        seq: nextSeq + i,
        type: next.type,
        runId: next.runId,
        recordSha256: canonical.sha256,
        prevHash,
        ...(next.files?.length ? { files: next.files.map((f) => ({ path: f.path, sha256: f.sha256 })) } : {}),
      };
      const entry: AuditEntry = { ...base, hash: entryHash(base), ...(next.type === 'run' ? { record: stored as unknown as AuditPayload } : { payload: stored }) };
      prevHash = entry.hash;
      entries.push(entry);
      lines.push(serializeEntry(entry, canonical.json) + '\n');
    }
    const fh = await openRegularAppend(logPath);
    try {
      if (lines.length > 1 && o.env?.[CRASH_HOOK] === '1') {
        await fh.write(lines[0]!);
        await fh.sync();
        process.kill(process.pid, 'SIGKILL');
      }
      await fh.write(lines.join(''));
      await fh.sync();
    } finally {
      await fh.close();
    }
    const entry = entries[entries.length - 1]!;
    const head: AuditHead = { seq: entry.seq, runId: entry.runId, hash: entry.hash };
    const tmp = `${auditHeadPath(workspaceRoot)}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(head, null, 2) + '\n');
    await rename(tmp, auditHeadPath(workspaceRoot));
    // Under the lock, so that anchors follow the log's order. The anchor names the head, so it
    // vouches for every entry of the batch.
    // A publish intent or a reconciliation moves no anchor: the run's record follows within the
    // run, and its anchor names the newer head, which vouches for them (five git processes saved).
    const anchored = entries.filter((e) => config.git.entries.includes(entryType(e)) && !isPublishPhase(e));
    const anchorHere = typeof o.anchor === 'function' ? o.anchor() : o.anchor !== false;
    if (anchorHere && config.git.enabled && anchored.length) {
      try {
        const head = { seq: entry.seq, hash: entry.hash, runId: entry.runId, type: entryType(entry), at: new Date().toISOString() };
        await (o.anchorWriter ? o.anchorWriter.write(o.env ?? {}, workspaceRoot, head) : writeGitAnchor(o.env ?? {}, workspaceRoot, head, o.repo));
      } catch (e) {
        o.onAnchorProblem?.(`the git anchor of seq ${entry.seq} was not written: ${(e as Error).message}`);
      }
    }
    return entries;
  }, o.lockWaitMs);
}

function checkNewEntry(next: NewAuditEntry): void {
  if (!AUDIT_ENTRY_TYPES.includes(next.type)) throw new WeirError('internal', `audit entry type "${String(next.type)}" is not one of ${AUDIT_ENTRY_TYPES.join(', ')}`);
  for (const f of next.files ?? []) {
    if (!isSafeCoveredPath(f.path) || !/^[0-9a-f]{64}$/.test(f.sha256)) throw new WeirError('internal', `audit entry for ${next.runId}: covered file ${JSON.stringify(f.path)} needs a workspace-relative path and a SHA-256`);
  }
}

/** Names in a folder that end with `ext`, none when it does not exist. */
async function namesEnding(dir: string, ext: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith(ext));
  } catch {
    return [];
  }
}

async function readHeadFile(workspaceRoot: string): Promise<AuditHead | null | 'damaged'> {
  try {
    const h = JSON.parse(await readRegularText(auditHeadPath(workspaceRoot))) as AuditHead;
    return h && Number.isInteger(h.seq) && typeof h.hash === 'string' ? h : 'damaged';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'damaged';
  }
}

/** What to do when the trail was deleted or shortened: said once, in the error and in docs/gxp.md. */
export const BROKEN_TRAIL_RECOVERY =
  'run "weir audit verify" to see what is missing, then restore .weir/audit from a backup or its lake mirror; to start a new trail deliberately, move .weir/audit, .weir/runs and .weir/reports into an archive folder outside .weir and record why';

/**
 * Why the trail cannot be continued, or null when it can: a missing or empty log while the
 * head, run record files or reports show runs were recorded (a deleted trail, not a fresh
 * start), or a log that ends before its head says (a truncated one). An append interrupted
 * between its entries and its head (the head up to MAX_APPEND_BATCH entries behind, chained) is
 * not a break.
 */
export async function brokenTrail(workspaceRoot: string, last: AuditEntry | null, env?: Environment, repo?: Promise<AnchorRepo>): Promise<string | null> {
  const head = await readHeadFile(workspaceRoot);
  if (!last) {
    if (head === 'damaged') return 'the audit log is missing and its head is damaged';
    if (head) return `the audit log is missing or empty, but its head says it held seq ${head.seq} (run ${head.runId})`;
    const runs = await namesEnding(runsDirAt(workspaceRoot), '.json');
    const reports = await namesEnding(privatePath(workspaceRoot, 'reports'), '.html');
    if (runs.length || reports.length) return `the audit log is missing or empty, but ${runs.length} run record file(s) and ${reports.length} report(s) of earlier runs exist`;
    // .weir deleted whole: the git anchor still says what the trail held.
    const anchored = await lastGitAnchor(env ?? {}, workspaceRoot, repo);
    if (anchored) return `the audit log is missing, but the git anchor (refs/weir/audit) says it held seq ${anchored.seq}`;
    return null;
  }
  if (head === null || head === 'damaged') return last.seq === 1 ? null : `the audit log's head (${auditHeadPath(workspaceRoot)}) is ${head ? 'damaged' : 'missing'}`;
  if (head.seq === last.seq && head.hash === last.hash) return null;
  if (head.seq === last.seq - 1 && last.prevHash === head.hash) return null;
  if (head.seq < last.seq && last.seq - head.seq <= MAX_APPEND_BATCH && interruptedAppend(await readAuditEntries(workspaceRoot), head)) return null;
  if (head.seq > last.seq) return `the audit log ends at seq ${last.seq} but its head says seq ${head.seq}: entries were deleted from its end`;
  return `the audit log's last entry (seq ${last.seq}) is not the one its head names (seq ${head.seq})`;
}

/**
 * An append cut short before its head was written, not a break: the head names an entry of
 * the log, every entry after it chains on, and they are what one append writes: one entry, or
 * a signing's batch (signature and state entries, at most MAX_APPEND_BATCH).
 */
export function interruptedAppend(entries: readonly Pick<AuditEntry, 'seq' | 'hash' | 'prevHash' | 'type'>[], head: Pick<AuditHead, 'seq' | 'hash'>): boolean {
  const i = entries.findIndex((e) => e.seq === head.seq);
  if (i < 0 || entries[i]!.hash !== head.hash) return false;
  const after = entries.slice(i + 1);
  if (!after.length || after.length > MAX_APPEND_BATCH) return false;
  if (after.length > 1 && !after.every((e) => e.type === 'signature' || e.type === 'state')) return false;
  return after.every((e, j) => e.seq === entries[i + j]!.seq + 1 && e.prevHash === entries[i + j]!.hash);
}

/**
 * Throws (exit 2: nothing runs) when the trail was deleted or truncated. `repo`: the workspace's
 * repository as the run already asked it (anchorRepo), so that an empty trail's look at the git
 * anchor starts no second git for the same question.
 */
export async function assertTrailContinues(workspaceRoot: string, env?: Environment, repo?: Promise<AnchorRepo>): Promise<void> {
  const last = await lastLine(auditLogPath(workspaceRoot));
  const prev = last === null ? null : parseEntry(last);
  if (last !== null && !prev) return; // a damaged last line: the append itself says so
  await refuseBrokenStart(workspaceRoot, prev, null, env, repo);
}

/** The last git anchor of this workspace, or null (no repository, no anchor, git anchor off, git failing). */
async function lastGitAnchor(env: Environment, workspaceRoot: string, repo?: Promise<AnchorRepo>): Promise<{ seq: number } | null> {
  try {
    const config = await readAuditConfig(workspaceRoot);
    if (!config.git.enabled) return null;
    const { anchors } = await readGitAnchors(env, workspaceRoot, undefined, repo);
    return anchors[anchors.length - 1] ?? null;
  } catch {
    return null;
  }
}

async function refuseBrokenStart(workspaceRoot: string, prev: AuditEntry | null, runId: string | null, env?: Environment, repo?: Promise<AnchorRepo>): Promise<void> {
  const why = await brokenTrail(workspaceRoot, prev, env, repo);
  if (why) throw new WeirError('invalid', `audit trail of ${workspaceRoot} is broken: ${why}. ${runId ? `Run ${runId} was not appended: ` : 'Nothing was run: '}${BROKEN_TRAIL_RECOVERY}`);
}

/** The log's lines (without the final newline), or null when there is no log yet. */
export async function readAuditLines(workspaceRoot: string): Promise<string[] | null> {
  let text: string;
  try {
    text = await readRegularText(auditLogPath(workspaceRoot));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if (text === '') return [];
  const lines = text.split('\n');
  // A complete log ends with a newline; a missing one means the last write was cut short.
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Every entry that parses, in log order, with its type filled in (`run` for entries from
 * before types existed); verify is what judges their integrity.
 */
export async function readAuditEntries(workspaceRoot: string): Promise<(AuditEntry & { type: AuditEntryType })[]> {
  const lines = (await readAuditLines(workspaceRoot)) ?? [];
  return lines.flatMap((l) => {
    const e = parseEntry(l);
    return e ? [{ ...e, type: entryType(e) }] : [];
  });
}
