import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WeirError } from '../../../shared/errors';
import type { AuditPayload } from '../../../shared/run/formats';
import type { RunRecord } from '../../../shared/run/record';
import { canonicalJson } from '../../../shared/canonical-json';
import { withFileLock } from './file-lock';

/**
 * The audit trail: every run record appended, one JSON line each, to a hash chain.
 * Each entry holds the record, the SHA-256 of its canonical JSON, the previous entry's hash
 * and its own hash over (seq, runId, recordSha256, prevHash). Editing, deleting or
 * reordering an entry breaks the chain at that entry; `head.json` holds the last seq and
 * hash so that deleting entries from the end shows too.
 */
export interface AuditEntry {
  seq: number;
  runId: string;
  recordSha256: string;
  prevHash: string;
  hash: string;
  /** As stored; read it through the run store (run-store.ts) to have it checked by its format. */
  record: AuditPayload;
}

export interface AuditHead {
  seq: number;
  runId: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
const HASH_DOMAIN = 'weir.audit.v1';

export function auditDir(workspaceRoot: string): string {
  return join(workspaceRoot, '.weir', 'audit');
}
export function auditLogPath(workspaceRoot: string): string {
  return join(auditDir(workspaceRoot), 'log.jsonl');
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

export function entryHash(e: Pick<AuditEntry, 'seq' | 'runId' | 'recordSha256' | 'prevHash'>): string {
  return sha256(`${HASH_DOMAIN}\n${e.seq}\n${e.runId}\n${e.recordSha256}\n${e.prevHash}`);
}

/**
 * The one byte form of an entry (fixed envelope order, canonical record): verify re-derives it.
 * `recordJson` is `canonicalJson(e.record)`, which the caller has already built for the hash.
 */
export function serializeEntry(e: AuditEntry, recordJson: string): string {
  return `{"seq":${JSON.stringify(e.seq)},"runId":${JSON.stringify(e.runId)},"recordSha256":${JSON.stringify(e.recordSha256)},"prevHash":${JSON.stringify(e.prevHash)},"hash":${JSON.stringify(e.hash)},"record":${recordJson}}`;
}

/** The last line of a file, read from the end so that appending stays fast as the log grows. */
async function lastLine(path: string): Promise<string | null> {
  let fh;
  try {
    fh = await open(path, 'r');
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

/**
 * Appends a run record to the workspace's audit log under a lock, chained to the last entry.
 * Refuses to chain onto a damaged last line: `weir audit verify` must be looked at first.
 */
export async function appendAuditRecord(workspaceRoot: string, record: RunRecord, o: AppendOptions = {}): Promise<AuditEntry> {
  return appendAuditEntry(workspaceRoot, record, o);
}

export interface AppendOptions {
  /** How long to wait for another run's lock: the engine's settings (auditLockWaitMs); 60 s. */
  lockWaitMs?: number;
}

export async function appendAuditEntry(workspaceRoot: string, payload: AuditPayload, o: AppendOptions = {}): Promise<AuditEntry> {
  const dir = auditDir(workspaceRoot);
  await mkdir(dir, { recursive: true });
  const logPath = auditLogPath(workspaceRoot);
  return withFileLock(join(dir, 'log.lock'), async () => {
    const last = await lastLine(logPath);
    const prev = last === null ? null : parseEntry(last);
    if (last !== null && !prev) {
      throw new WeirError('internal', `audit log ${logPath}: its last line is damaged, so run ${payload.runId} was not appended (run "weir audit verify")`);
    }
    // The record as it reads back from JSON (undefined fields dropped), so the hash verifies later.
    const stored = JSON.parse(JSON.stringify(payload)) as AuditPayload;
    const canonical = canonicalRecord(stored);
    const base = { seq: (prev?.seq ?? 0) + 1, runId: payload.runId, recordSha256: canonical.sha256, prevHash: prev?.hash ?? GENESIS_HASH };
    const entry: AuditEntry = { ...base, hash: entryHash(base), record: stored };
    const fh = await open(logPath, 'a');
    try {
      await fh.write(serializeEntry(entry, canonical.json) + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    const head: AuditHead = { seq: entry.seq, runId: entry.runId, hash: entry.hash };
    const tmp = `${auditHeadPath(workspaceRoot)}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(head, null, 2) + '\n');
    await rename(tmp, auditHeadPath(workspaceRoot));
    return entry;
  }, o.lockWaitMs);
}

/** The log's lines (without the final newline), or null when there is no log yet. */
export async function readAuditLines(workspaceRoot: string): Promise<string[] | null> {
  let text: string;
  try {
    text = await readFile(auditLogPath(workspaceRoot), 'utf8');
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

/** Every entry that parses, for `weir audit show`; verify is what judges their integrity. */
export async function readAuditEntries(workspaceRoot: string): Promise<AuditEntry[]> {
  const lines = (await readAuditLines(workspaceRoot)) ?? [];
  return lines.flatMap((l) => {
    const e = parseEntry(l);
    return e ? [e] : [];
  });
}
