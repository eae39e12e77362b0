import type { SignaturePayload } from '../../../../shared/gxp/entries';
import { stateForMeaning, type ReleasePolicy, type ReleaseStateName, type SignatureMeaning } from '../../../../shared/gxp/signers';
import type { RunRecord } from '../../../../shared/run/record';
import { stateKeyOf, type GxpTrail, type TrailRun, type TrailSignature } from './trail';

/**
 * Release states (issue #18 item 2): every run, or its lot when the record names one, is
 * `pending` until a signature whose meaning maps to a state (released, rejected, on_hold)
 * moves it there, if the workspace's policy allows. Released and rejected are final; on hold
 * can still move to released or rejected.
 */
export interface ReleaseState {
  key: string;
  state: ReleaseStateName;
  /** The state entry that set it; null while pending. */
  since: { seq: number; at: string } | null;
}

export function currentState(t: GxpTrail, key: string): ReleaseState {
  let s: ReleaseState = { key, state: 'pending', since: null };
  for (const x of t.states) if (x.payload.key === key) s = { key, state: x.payload.to, since: { seq: x.seq, at: x.payload.at } };
  return s;
}

/** The signatures of one run record (by its hash), oldest first. */
export function signaturesOf(t: GxpTrail, run: Pick<TrailRun, 'runId' | 'recordSha256'>): TrailSignature[] {
  return t.signatures.filter((s) => s.payload.runId === run.runId && s.payload.recordSha256 === run.recordSha256);
}

/** A run failed, or one of its error-severity checks failed. */
export function failedBlockingChecks(record: RunRecord): string[] {
  const failed = record.nodes.flatMap((n) => (n.checks ?? []).filter((c) => c.severity === 'error' && !c.passed).map((c) => `${n.name}.${c.rule}`));
  if (record.status !== 'succeeded' && !failed.length) failed.push(`the run ${record.status}`);
  return failed;
}

/** Which meanings count towards a state: approvals count towards a release. */
const counting = (to: ReleaseStateName): SignatureMeaning[] => (to === 'released' ? ['approved', 'released'] : to === 'pending' ? [] : [to]);

export interface Decision {
  from: ReleaseStateName;
  to: ReleaseStateName;
  /** Why the policy refuses it; null: allowed. */
  refusal: string | null;
  /** The earlier signatures that count with the acting one. */
  counted: TrailSignature[];
}

/**
 * Would a signature with `meaning` by `signer` (roles as listed now) move this run's state?
 * null: the meaning changes no state (reviewed, approved).
 */
export function decide(
  t: GxpTrail,
  run: TrailRun,
  policy: ReleasePolicy,
  meaning: SignatureMeaning,
  signer: { id: string; roles: readonly string[] },
): Decision | null {
  const to = stateForMeaning(meaning);
  if (!to) return null;
  const key = stateKeyOf(run);
  const from = currentState(t, key).state;
  const base = { from, to, counted: [] as TrailSignature[] };
  if (from === 'released' || from === 'rejected') return { ...base, refusal: `${describeKey(run, key)} is already ${from}: a ${from} state is final` };
  if (from === to) return { ...base, refusal: `${describeKey(run, key)} is already ${to}` };
  const rule = policy[to];
  const counted = signaturesOf(t, run).filter((s) => counting(to).includes(s.payload.meaning) && s.payload.signerId !== signer.id);
  // One signature per signer counts, the latest.
  const bySigner = new Map<string, TrailSignature>();
  for (const s of counted) bySigner.set(s.payload.signerId, s);
  const signers = [{ id: signer.id, roles: signer.roles }, ...[...bySigner.values()].map((s) => ({ id: s.payload.signerId, roles: s.payload.signerRoles }))];
  const problems: string[] = [];
  if (signers.length < rule.signatures) {
    const others = counting(to).join(' or ');
    problems.push(`${to} needs ${rule.signatures} signatures by different signers (${others}), this would be ${signers.length === 1 ? 'the only one' : `number ${signers.length}`}`);
  }
  const missingRoles = rule.roles.filter((role) => !signers.some((s) => s.roles.includes(role)));
  if (missingRoles.length) problems.push(`${to} needs a signer with role ${missingRoles.join(' and ')}`);
  if (rule.noFailedBlockingCheck) {
    const failed = failedBlockingChecks(run.record);
    if (failed.length) problems.push(`${to} needs a run with no failed blocking check (failed: ${failed.slice(0, 3).join(', ')})`);
  }
  return { ...base, counted: [...bySigner.values()], refusal: problems.length ? `the release policy (signers.json "release") refuses: ${problems.join('; ')}` : null };
}

function describeKey(run: TrailRun, key: string): string {
  return key === run.runId ? `run ${run.runId}` : `lot ${key} (run ${run.runId})`;
}

export interface RunReleaseStatus {
  runId: string;
  key: string;
  pipeline: string;
  status: RunRecord['status'];
  finishedAt: string;
  state: ReleaseStateName;
  stateSince: { seq: number; at: string } | null;
  signatures: (Pick<SignaturePayload, 'signerId' | 'signerName' | 'meaning' | 'signedAt' | 'comment' | 'account'> & { seq: number })[];
}

/** Every recorded run (newest first), or the ones whose run id (prefix) or lot matches `which`. */
export function releaseStatuses(t: GxpTrail, which?: string): RunReleaseStatus[] {
  const runs = [...t.runs].reverse().filter((r) => !which || r.runId.startsWith(which) || stateKeyOf(r) === which);
  return runs.map((r) => {
    const s = currentState(t, stateKeyOf(r));
    return {
      runId: r.runId,
      key: s.key,
      pipeline: r.record.pipeline.name,
      status: r.record.status,
      finishedAt: r.record.finishedAt,
      state: s.state,
      stateSince: s.since,
      signatures: signaturesOf(t, r).map((x) => ({
        seq: x.seq,
        signerId: x.payload.signerId,
        signerName: x.payload.signerName,
        meaning: x.payload.meaning,
        signedAt: x.payload.signedAt,
        comment: x.payload.comment,
        account: x.payload.account,
      })),
    };
  });
}
