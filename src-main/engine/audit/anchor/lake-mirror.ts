import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WeirError } from '../../../../shared/errors';
import { auditDir, readAuditEntries, readAuditLines, type AuditEntry } from '../audit-log';
import { withFileLock } from '../file-lock';
import { PreconditionFailed, type ObjectStore, type PutOptions } from '../../storage/object-store';
import type { AuditProblem } from '../verify';
import { readRegularText } from '../../host/regular-file';

/**
 * The lake trail: the audit log mirrored to an `s3` or `folder` connection, one object per
 * entry, `<prefix>/<lake seq, 12 digits>.json`. The lake trail is shared (several machines'
 * workspaces may mirror to one prefix), so it is its own chain: each object wraps one local
 * entry (its line verbatim, its local seq and hash, and the hash of the local chain's first
 * entry, which names the chain) and links to the object before it. Objects are created with
 * `If-None-Match: *`: two writers never both create seq N; the loser re-reads, re-chains onto
 * the winner and retries.
 */
export const LAKE_FORMAT = 'weir.audit-lake';
const LAKE_DOMAIN = 'weir.audit.lake.v1';
const GENESIS = '0'.repeat(64);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface LakeRecord {
  format: typeof LAKE_FORMAT;
  version: 1;
  seq: number;
  prevHash: string;
  hash: string;
  /** The hash of the local chain's seq 1: which workspace trail this entry is from. */
  chain: string;
  local: { seq: number; hash: string; runId: string; type: string };
  /** The local log's line, byte for byte. */
  entry: string;
}

export function lakeRecordHash(r: Omit<LakeRecord, 'hash' | 'format' | 'version'>): string {
  return sha256(`${LAKE_DOMAIN}\n${r.seq}\n${r.chain}\n${r.local.seq}\n${r.local.hash}\n${sha256(r.entry)}\n${r.prevHash}`);
}

const keyOf = (prefix: string, seq: number) => `${prefix.replace(/\/+$/, '')}/${String(seq).padStart(12, '0')}.json`;

export interface LakeTrailReader {
  uri: string;
  readChain(chain: string | null): Promise<{ records: LakeRecord[]; problems: AuditProblem[] }>;
}

export interface LakeTrailOptions {
  prefix: string;
  objectLockDays?: number;
  conditionalWrites: 'required' | 'single-writer';
}

/** Whether the store refuses a second If-None-Match: * create of one key (s3rver and older servers do not). */
const probed = new Map<string, boolean>();
async function honoursConditionalWrites(store: ObjectStore, prefix: string): Promise<boolean> {
  if (store.localPath) return true; // a folder: created with link(), which fails when the name exists
  const known = probed.get(store.uri(prefix));
  if (known !== undefined) return known;
  const key = `${prefix.replace(/\/+$/, '')}/.probe-${randomBytes(6).toString('hex')}`;
  let honours = false;
  try {
    await store.putBytes(key, Buffer.from('probe'), { ifMatch: null });
    // A second create of the same key that succeeds: the store ignored the condition.
    await store.putBytes(key, Buffer.from('probe'), { ifMatch: null });
  } catch (e) {
    if (!(e instanceof PreconditionFailed)) throw e;
    honours = true;
  } finally {
    await store.delete([key]).catch(() => {});
  }
  probed.set(store.uri(prefix), honours);
  return honours;
}

/** Creates `key` only when it does not exist; false when it does. */
async function createOnce(store: ObjectStore, key: string, body: Buffer, extra: PutOptions): Promise<boolean> {
  if (store.localPath) {
    const target = store.localPath(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.weir-tmp-${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, body);
    try {
      await link(tmp, target);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    } finally {
      await rm(tmp, { force: true });
    }
  }
  try {
    await store.putBytes(key, body, { ...extra, ifMatch: null });
    return true;
  } catch (e) {
    if (e instanceof PreconditionFailed) return false;
    throw e;
  }
}

function parseRecord(body: Buffer): LakeRecord | null {
  try {
    const r = JSON.parse(body.toString('utf8')) as LakeRecord;
    return r && r.format === LAKE_FORMAT && Number.isInteger(r.seq) && typeof r.hash === 'string' && typeof r.entry === 'string' && !!r.local ? r : null;
  } catch {
    return null;
  }
}

/** The last object of the lake trail (by key), or null when it is empty. */
async function lakeHead(store: ObjectStore, prefix: string): Promise<LakeRecord | null> {
  const keys = (await store.list(`${prefix.replace(/\/+$/, '')}/`)).map((o) => o.key).filter((k) => /\/\d{12}\.json$/.test(k)).sort();
  for (let i = keys.length - 1; i >= 0; i--) {
    const got = await store.getBytes(keys[i]!);
    const r = got && parseRecord(got.body);
    if (r) return r;
  }
  return null;
}

interface MirrorState {
  uri: string;
  chain: string;
  localSeq: number;
}
const statePath = (root: string) => join(auditDir(root), 'lake-mirror.json');

/**
 * Mirrors the local entries the lake trail lacks (after the last one this workspace mirrored),
 * in order. Returns how many were written. Under its own lock, so that two runs of one
 * workspace never mirror an entry twice.
 */
export async function mirrorToLake(workspaceRoot: string, store: ObjectStore, o: LakeTrailOptions): Promise<number> {
  if (o.conditionalWrites === 'required' && !(await honoursConditionalWrites(store, o.prefix))) {
    throw new WeirError(
      'connection',
      `connection "${store.connection}" does not enforce If-None-Match (two machines could both write one sequence number): the audit trail was not mirrored. Use a store that does (AWS S3, MinIO, Cloudflare R2) or set "conditionalWrites": "single-writer" in weir.audit.json if only one machine appends`,
    );
  }
  return withFileLock(join(auditDir(workspaceRoot), 'lake.lock'), async () => {
    const entries = await readAuditEntries(workspaceRoot);
    const lines = (await readAuditLines(workspaceRoot)) ?? [];
    if (!entries.length) return 0;
    const chain = entries[0]!.hash;
    const uri = store.uri(o.prefix);
    let state: MirrorState | null = null;
    try {
      state = JSON.parse(await readRegularText(statePath(workspaceRoot))) as MirrorState;
    } catch {
      state = null;
    }
    let from = state && state.uri === uri && state.chain === chain ? state.localSeq : null;
    if (from === null) {
      // No state (or another chain): what the lake already holds of this chain, read once.
      const { records } = await lakeReader(store, o.prefix).readChain(chain);
      from = records.length ? Math.max(...records.map((r) => r.local.seq)) : 0;
    }
    const lineOf = new Map(lines.map((l, i) => [entries[i]?.seq ?? -1, l]));
    let head = await lakeHead(store, o.prefix);
    let written = 0;
    const retention = o.objectLockDays ? { objectLock: { days: o.objectLockDays } } : {};
    for (const e of entries.filter((x) => x.seq > from!)) {
      const line = lineOf.get(e.seq);
      if (line === undefined) throw new WeirError('internal', `audit log: seq ${e.seq} could not be read back to mirror it`);
      for (let attempt = 0; ; attempt++) {
        const base = { seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS, chain, local: { seq: e.seq, hash: e.hash, runId: e.runId, type: e.type }, entry: line };
        const record: LakeRecord = { format: LAKE_FORMAT, version: 1, ...base, hash: lakeRecordHash(base) };
        if (await createOnce(store, keyOf(o.prefix, record.seq), Buffer.from(JSON.stringify(record) + '\n'), retention)) {
          head = record;
          break;
        }
        // Another writer took this seq: re-read its head and chain onto it.
        if (attempt > 50) throw new WeirError('connection', `lake trail ${uri}: seq ${record.seq} kept being taken by other writers`);
        const got = await store.getBytes(keyOf(o.prefix, record.seq));
        const taken = got && parseRecord(got.body);
        // Ours after all (a retried request whose first answer was lost): written.
        if (taken && taken.hash === record.hash) {
          head = taken;
          break;
        }
        head = taken ?? (await lakeHead(store, o.prefix));
      }
      written++;
      await writeFile(statePath(workspaceRoot), JSON.stringify({ uri, chain, localSeq: e.seq } satisfies MirrorState) + '\n');
    }
    return written;
  });
}

/** Reads the whole lake trail and checks its own chain; returns the records of one local chain. */
export function lakeReader(store: ObjectStore, prefix: string): LakeTrailReader {
  const uri = store.uri(prefix);
  return {
    uri,
    async readChain(chain) {
      const keys = (await store.list(`${prefix.replace(/\/+$/, '')}/`)).map((x) => x.key).filter((k) => /\/\d{12}\.json$/.test(k)).sort();
      const problems: AuditProblem[] = [];
      const records: LakeRecord[] = [];
      let prev: LakeRecord | null = null;
      for (const key of keys) {
        const got = await store.getBytes(key);
        const r = got && parseRecord(got.body);
        if (!r) {
          problems.push({ message: `lake trail ${uri}: ${key} is not a lake trail record: edited` });
          continue;
        }
        const expectSeq = (prev?.seq ?? 0) + 1;
        if (r.seq !== expectSeq || !key.endsWith(`${String(r.seq).padStart(12, '0')}.json`)) problems.push({ message: `lake trail ${uri}: ${key} holds seq ${r.seq}, expected ${expectSeq}: records deleted or moved` });
        else if (r.prevHash !== (prev?.hash ?? GENESIS) || lakeRecordHash(r) !== r.hash) problems.push({ message: `lake trail ${uri}: seq ${r.seq} does not chain: edited or replaced` });
        else if (!entryMatches(r)) problems.push({ message: `lake trail ${uri}: seq ${r.seq}'s entry is not the one its local hash names: edited` });
        prev = r;
        if (chain !== null && r.chain === chain) records.push(r);
      }
      return { records, problems };
    },
  };
}

function entryMatches(r: LakeRecord): boolean {
  try {
    const e = JSON.parse(r.entry) as AuditEntry;
    return e.hash === r.local.hash && e.seq === r.local.seq;
  } catch {
    return false;
  }
}
