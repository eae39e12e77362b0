import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WeirError } from '../../../shared/errors';
import { auditEnvelope, type AuditEnvelope } from '../../../shared/run/audit-entry';
import { readAuditPayload, readRunRecord, type ReadAuditPayload } from '../../../shared/run/formats';
import type { RunRecord } from '../../../shared/run/record';
import { readAuditLines } from './audit-log';
import { runsDirAt } from './runs-dir';
import { NotRegularFile, readRegularText } from '../host/regular-file';

/**
 * The one reader of what runs left in a workspace: the run record files (`.weir/runs/`, and
 * `.weir/runs/unaudited/` for records the audit trail refused) and the audit log's entries of
 * each run (its publish intent, its record, a reconciliation). History (api/runs.ts), `weir
 * audit show | list` and the API read through it. Everything read is checked against its
 * versioned schema (shared/run/) and migrated for display; what is stored is never rewritten.
 * It does not load DuckDB, so `weir audit` stays light.
 */

export interface StoredRun {
  runId: string;
  /** Checked, and migrated to this build's version when it was stored in an older one. */
  record: RunRecord;
  /** The file it was read from. */
  path: string;
  /** False for a record the audit trail refused (`.weir/runs/unaudited/`). */
  audited: boolean;
  migratedFrom: number | null;
}

/** A file in a record folder that is not a run record this build can read, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface RunList {
  /** Newest first. */
  runs: StoredRun[];
  /** Files met on the way that were not readable run records (damaged, foreign, newer). */
  skipped: SkippedFile[];
}

interface RecordFile {
  name: string;
  path: string;
  audited: boolean;
}

const unauditedDir = (workspaceRoot: string) => join(runsDirAt(workspaceRoot), 'unaudited');

async function jsonNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.json'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw e;
  }
}

/**
 * The record files of both folders, newest first. Run ids (the file names) start with a
 * sortable timestamp, so the names alone give the order and only as many files as needed
 * are read.
 */
async function recordFiles(workspaceRoot: string): Promise<RecordFile[]> {
  const audited = runsDirAt(workspaceRoot);
  const apart = unauditedDir(workspaceRoot);
  const files = [
    ...(await jsonNames(audited)).map((name) => ({ name, path: join(audited, name), audited: true })),
    ...(await jsonNames(apart)).map((name) => ({ name, path: join(apart, name), audited: false })),
  ];
  return files.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

/** One line saying why a stored text is not a readable run record. */
function unreadable(e: unknown): string {
  if (e instanceof SyntaxError) return 'not valid JSON (a half-written or foreign file)';
  // The note names the file already: only what it is.
  if (e instanceof NotRegularFile) return `cannot be read (${e.what}, not a regular file)`;
  if (e instanceof WeirError) return e.message;
  const code = (e as NodeJS.ErrnoException).code;
  return code ? `cannot be read (${code})` : (e as Error).message.split('\n')[0]!;
}

async function readRecordFile(f: RecordFile): Promise<StoredRun | SkippedFile> {
  try {
    const { value, migratedFrom } = readRunRecord(JSON.parse(await readRegularText(f.path)) as unknown);
    if (`${value.runId}.json` !== f.name) return { path: f.path, reason: `holds run ${value.runId}, not the run its name says` };
    return { runId: value.runId, record: value, path: f.path, audited: f.audited, migratedFrom };
  } catch (e) {
    return { path: f.path, reason: unreadable(e) };
  }
}

const isRun = (r: StoredRun | SkippedFile): r is StoredRun => 'record' in r;

/**
 * The newest `limit` runs of the workspace that `accept` keeps (History leaves out a parent
 * workspace's runs of pipelines outside the designer's folder). Files are read newest first,
 * in batches of what is still missing, so a long history costs only the runs shown.
 */
export async function listStoredRuns(workspaceRoot: string, opts: { limit?: number; accept?: (r: RunRecord) => boolean } = {}): Promise<RunList> {
  const limit = opts.limit ?? 100;
  const files = await recordFiles(workspaceRoot);
  const runs: StoredRun[] = [];
  const skipped: SkippedFile[] = [];
  for (let next = 0; next < files.length && runs.length < limit; ) {
    const batch = files.slice(next, next + limit - runs.length);
    next += batch.length;
    for (const r of await Promise.all(batch.map(readRecordFile))) {
      if (!isRun(r)) skipped.push(r);
      else if (!opts.accept || opts.accept(r.record)) runs.push(r);
    }
  }
  return { runs, skipped };
}

/** Names that are the run `idOrPrefix`: the exact one when there is one, else every one it begins. */
function matching<T>(items: readonly T[], id: (x: T) => string, idOrPrefix: string): T[] {
  const exact = items.filter((x) => id(x) === idOrPrefix);
  return exact.length ? exact : items.filter((x) => id(x).startsWith(idOrPrefix));
}

function ambiguous(idOrPrefix: string, ids: string[], what = 'runs'): WeirError {
  return new WeirError('usage', `"${idOrPrefix}" matches ${ids.length} ${what} (${ids.slice(0, 3).join(', ')}…): give more of the run id`);
}

/**
 * One run's record file, by its full id or a prefix that names one run; null when there is
 * none. The id is only compared with the folder's file names, never joined into a path.
 */
export async function getStoredRun(workspaceRoot: string, idOrPrefix: string): Promise<StoredRun | null> {
  if (!idOrPrefix) return null;
  const found = matching(await recordFiles(workspaceRoot), (f) => f.name.slice(0, -'.json'.length), idOrPrefix);
  // Counted by file name, unread: a prefix may match many, readable or not.
  if (found.length > 1) throw ambiguous(idOrPrefix, found.map((f) => f.name.slice(0, -'.json'.length)), 'run record files');
  if (!found.length) return null;
  const r = await readRecordFile(found[0]!);
  if (!isRun(r)) throw new WeirError('invalid', `run record ${r.path}: ${r.reason}`);
  return r;
}

/** An audit log entry: the envelope as stored (what verify hashes) and its payload as read. */
export interface StoredAuditEntry {
  /** 1-based line in log.jsonl. */
  line: number;
  entry: AuditEnvelope;
  /**
   * The body checked and migrated for display, or why it cannot be read. Signature and state
   * entries are the signing feature's: their payload is passed on as stored.
   */
  payload: ReadAuditPayload | { kind: 'signature'; payload: Record<string, unknown> } | { kind: 'state'; payload: Record<string, unknown> } | { kind: 'unreadable'; reason: string };
}

/**
 * Every entry of the audit log whose envelope reads (a damaged line is left out here: `weir
 * audit verify` is what judges the chain). Payloads that do not read are kept, marked.
 */
export async function listAuditEntries(workspaceRoot: string): Promise<StoredAuditEntry[]> {
  const lines = (await readAuditLines(workspaceRoot)) ?? [];
  const entries: StoredAuditEntry[] = [];
  lines.forEach((text, i) => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return;
    }
    const envelope = auditEnvelope.safeParse(raw);
    if (!envelope.success) return;
    // The envelope as stored: zod's copy would drop nothing here, but hashes are over the original.
    const entry = raw as AuditEnvelope;
    let payload: StoredAuditEntry['payload'];
    try {
      if (entry.type === 'signature') payload = { kind: 'signature', payload: entry.payload ?? {} };
      else if (entry.type === 'state') payload = { kind: 'state', payload: entry.payload ?? {} };
      else payload = readAuditPayload(entry.record);
    } catch (e) {
      payload = { kind: 'unreadable', reason: unreadable(e) };
    }
    entries.push({ line: i + 1, entry, payload });
  });
  return entries;
}

/** What the audit log holds about one run, in log order. */
export interface RunAuditTrail {
  runId: string;
  entries: StoredAuditEntry[];
  intent: StoredAuditEntry | null;
  record: StoredAuditEntry | null;
  reconciled: StoredAuditEntry | null;
}

/**
 * The audit entries of one run, by its full id or a prefix that names one run; null when the
 * log has none. A run that published has its intent and its record; one that died while
 * publishing, its intent and (after a later run looked) a reconciliation.
 */
export async function readRunAuditTrail(workspaceRoot: string, idOrPrefix: string): Promise<RunAuditTrail | null> {
  if (!idOrPrefix) return null;
  const all = await listAuditEntries(workspaceRoot);
  const ids = matching([...new Set(all.map((e) => e.entry.runId))], (id) => id, idOrPrefix);
  if (ids.length > 1) throw ambiguous(idOrPrefix, ids);
  const runId = ids[0];
  if (runId === undefined) return null;
  const entries = all.filter((e) => e.entry.runId === runId);
  const last = (kind: string) => entries.filter((e) => e.payload.kind === kind).pop() ?? null;
  return { runId, entries, intent: last('intent'), record: last('run'), reconciled: last('reconciled') };
}
