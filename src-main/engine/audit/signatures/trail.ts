import { WeirError } from '../../../../shared/errors';
import { signaturePayloadV1, statePayloadV1, type SignaturePayload, type StatePayload } from '../../../../shared/gxp/entries';
import { readRunRecord } from '../../../../shared/run/formats';
import type { RunRecord } from '../../../../shared/run/record';
import type { Environment } from '../../context';
import { readAuditEntries, type AuditEntry, type NewAuditEntry } from '../audit-log';

/**
 * The audit trail as signing and release states read it: run records, signatures and state
 * changes, each with its seq. Entries are appended through the trail's one append
 * (audit-log.ts), so they are chained and verified with every other entry.
 */
export interface TrailRun {
  seq: number;
  runId: string;
  recordSha256: string;
  /** As stored (what was hashed), and as read for display. */
  stored: Record<string, unknown>;
  record: RunRecord;
}
export interface TrailSignature {
  seq: number;
  payload: SignaturePayload;
}
export interface TrailState {
  seq: number;
  payload: StatePayload;
}
export interface GxpTrail {
  runs: TrailRun[];
  signatures: TrailSignature[];
  states: TrailState[];
  /** Entries of type signature or state whose payload does not read: verify names them. */
  unreadable: { seq: number; runId: string; type: string; reason: string }[];
}

const typeOf = (e: AuditEntry): string => (e as { type?: string }).type ?? 'run';

export function gxpTrailOf(entries: readonly AuditEntry[]): GxpTrail {
  const t: GxpTrail = { runs: [], signatures: [], states: [], unreadable: [] };
  for (const e of entries) {
    const type = typeOf(e);
    if (type === 'run') {
      const stored = e.record as unknown as Record<string, unknown> | undefined;
      if (!stored || stored.format !== 'weir.run') continue;
      try {
        t.runs.push({ seq: e.seq, runId: e.runId, recordSha256: e.recordSha256, stored, record: readRunRecord(stored).value });
      } catch {
        // A record that does not read is the chain check's to report.
      }
      continue;
    }
    const schema = type === 'signature' ? signaturePayloadV1 : type === 'state' ? statePayloadV1 : null;
    if (!schema) continue;
    const parsed = schema.safeParse((e as { payload?: unknown }).payload);
    if (!parsed.success) {
      t.unreadable.push({ seq: e.seq, runId: e.runId, type, reason: parsed.error.issues[0]?.message ?? 'invalid' });
      continue;
    }
    if (type === 'signature') t.signatures.push({ seq: e.seq, payload: parsed.data as SignaturePayload });
    else t.states.push({ seq: e.seq, payload: parsed.data as StatePayload });
  }
  return t;
}

export async function readGxpTrail(root: string): Promise<GxpTrail> {
  return gxpTrailOf(await readAuditEntries(root));
}

/** The run whose record entry has this id, or an unambiguous prefix of it. */
export function findTrailRun(t: GxpTrail, id: string): TrailRun {
  const exact = t.runs.filter((r) => r.runId === id);
  const found = exact.length ? exact : t.runs.filter((r) => r.runId.startsWith(id));
  const ids = [...new Set(found.map((r) => r.runId))];
  if (!ids.length) throw new WeirError('usage', `no run "${id}" with a run record in the audit trail`);
  if (ids.length > 1) throw new WeirError('usage', `"${id}" names ${ids.length} runs (${ids.slice(0, 3).join(', ')}...): give more of the run id`);
  return found[found.length - 1]!;
}

/** The lot a record is about, when run records carry one (issue #17); read defensively. */
export function lotOf(record: RunRecord): string | null {
  return record.lot?.value || null;
}

/** What a release state is kept by: the run's lot when it has one, else the run itself. */
export const stateKeyOf = (run: Pick<TrailRun, 'runId' | 'record'>): string => lotOf(run.record) ?? run.runId;

/** A signature or state as an entry to append (audit-log.ts appends; sign.ts does it in one locked write). */
export const signatureEntry = (p: SignaturePayload): NewAuditEntry => ({ type: 'signature', runId: p.runId, payload: p });
export const stateEntry = (p: StatePayload): NewAuditEntry => ({ type: 'state', runId: p.runId, payload: p });
