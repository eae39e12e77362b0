import { WeirError } from '../../../../shared/errors';
import { STATE_FORMAT, type StatePayload } from '../../../../shared/gxp/entries';
import { stateForMeaning, type ReleasePolicy } from '../../../../shared/gxp/signers';
import { decide } from './release-state';
import type { GxpTrail, TrailSignature } from './trail';

/**
 * A signing appends its signature and the state change it makes in one locked write (sign.ts).
 * A crash can still tear that write after the signature's line: the trail then holds a
 * signature whose meaning changes a state (released, rejected, on hold) but no state entry
 * resting on it. Decided: such a signature is kept (it is a real, verifiable act of its
 * signer; deleting lines from the trail is what the trail forbids) and rolled forward: the
 * next signing in the workspace first appends the state entry it would have written, from
 * the trail as it was before it. `weir audit verify` notes it until then (not tampering) when
 * nothing but runs follows it; with a later signature or state entry it is a deleted state
 * entry, and a problem.
 */

/** Signatures that change a state but that no state entry names as its acting signature. */
export function unstatedSignatures(t: GxpTrail): TrailSignature[] {
  const acting = new Set(t.states.map((s) => s.payload.signatures[s.payload.signatures.length - 1]?.seq));
  return t.signatures.filter((s) => stateForMeaning(s.payload.meaning) !== null && !acting.has(s.seq));
}

/** Of those, the ones only runs follow: a signing interrupted between its two lines. */
export function interruptedSignings(t: GxpTrail): TrailSignature[] {
  const lastGxp = Math.max(0, ...t.signatures.map((s) => s.seq), ...t.states.map((s) => s.seq));
  const unstated = unstatedSignatures(t);
  // Only the newest can be interrupted: every signing completes those before it first.
  return unstated.filter((s) => s.seq === lastGxp);
}

/** The trail up to (not including) seq. */
function before(t: GxpTrail, seq: number): GxpTrail {
  return {
    runs: t.runs.filter((r) => r.seq < seq),
    signatures: t.signatures.filter((s) => s.seq < seq),
    states: t.states.filter((s) => s.seq < seq),
    unreadable: [],
  };
}

/**
 * The state entries that complete interrupted signings, to be appended at `nextSeq` onwards,
 * and the trail as it reads with them. Throws (a message naming the entry) when the trail
 * before such a signature does not allow its change: that trail was edited, and verify says how.
 */
export function completeInterrupted(t: GxpTrail, policy: ReleasePolicy, nextSeq: number): { completions: StatePayload[]; trail: GxpTrail } {
  const completions: StatePayload[] = [];
  const trail: GxpTrail = { ...t, states: [...t.states] };
  for (const sig of interruptedSignings(t)) {
    const p = sig.payload;
    const run = [...t.runs].reverse().find((r) => r.runId === p.runId && r.recordSha256 === p.recordSha256 && r.seq < sig.seq);
    const decision = run ? decide(before(t, sig.seq), run, policy, p.meaning, { id: p.signerId, roles: p.signerRoles }) : null;
    if (!run || !decision || decision.refusal) {
      throw new WeirError('invalid', `the signing at audit seq ${sig.seq} (${p.meaning} by ${p.signerId}) was interrupted before its state change, and the trail before it does not allow that change${decision?.refusal ? ` (${decision.refusal})` : ''}: run "weir audit verify"`);
    }
    const payload: StatePayload = {
      format: STATE_FORMAT,
      version: 1,
      runId: p.runId,
      key: p.key,
      from: decision.from,
      to: decision.to,
      at: p.signedAt,
      recordSha256: p.recordSha256,
      signatures: [...decision.counted.map((s) => ({ seq: s.seq, signerId: s.payload.signerId, meaning: s.payload.meaning })), { seq: sig.seq, signerId: p.signerId, meaning: p.meaning }],
    };
    trail.states.push({ seq: nextSeq + completions.length, payload });
    completions.push(payload);
  }
  return { completions, trail };
}
