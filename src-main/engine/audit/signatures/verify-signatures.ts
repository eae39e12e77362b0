import { verify as edVerify } from 'node:crypto';
import { signedFieldsOf, signingPayload } from '../../../../shared/gxp/entries';
import { keyValidAt, type SignersFile } from '../../../../shared/gxp/signers';
import type { Environment } from '../../context';
import type { AuditEntry } from '../audit-log';
import { parsePublicKey } from './key-file';
import { signersAsOf, signersHistory, type SignersHistory } from './signers-file';
import { gxpTrailOf } from './trail';
import { interruptedSignings, unstatedSignatures } from './interrupted';

export interface SignatureProblem {
  seq: number;
  runId: string;
  message: string;
}

/**
 * Every signature of the trail checked against the signers listed AS OF its time
 * (signers-file.ts: signers.json's git history, else the current file's validity dates):
 * the signer was listed and its key valid then, the Ed25519 signature verifies with that key,
 * and the run record it signs still has the hash it signed. State entries must follow from
 * each other and name signatures of their own run. `weir audit verify` calls this.
 */
export async function verifySignatureEntries(root: string, entries: readonly AuditEntry[], processEnv: Environment | null): Promise<SignatureProblem[]> {
  const t = gxpTrailOf(entries);
  // Entries of these types whose payload is no Weir signature or state (another tool's, a
  // test's) sign nothing and change no state (release-state.ts ignores them); the chain
  // still vouches for their bytes, so they are not reported here.
  const problems: SignatureProblem[] = [];
  if (!t.signatures.length && !t.states.length) return problems;
  let history: SignersHistory | null = null;
  const cache = new Map<string, SignersFile>();
  const validSignatures = new Set<number>();
  for (const { seq, payload: p } of t.signatures) {
    const at = (message: string) => problems.push({ seq, runId: p.runId, message: `signature by ${p.signerId} (${p.meaning}, ${p.signedAt}): ${message}` });
    const run = t.runs.find((r) => r.runId === p.runId && r.seq < seq);
    if (!run) {
      at('it signs a run that has no record before it in the audit trail');
      continue;
    }
    if (run.recordSha256 !== p.recordSha256) {
      at(`the run record was changed after it was signed (signed ${p.recordSha256.slice(0, 12)}…, the record's hash is now ${run.recordSha256.slice(0, 12)}…)`);
      continue;
    }
    history ??= processEnv ? await signersHistory(processEnv, root) : { inGit: false, versions: [], dirty: false };
    let listed;
    try {
      listed = await signersAsOf(processEnv ?? {}, root, p.signedAt, history, cache);
    } catch (e) {
      at(`the signers list of that time cannot be read: ${(e as Error).message}`);
      continue;
    }
    const signer = listed.file?.signers.find((s) => s.id === p.signerId);
    if (!signer) {
      at(`the signer was not listed in ${listed.source} at ${p.signedAt}`);
      continue;
    }
    if (!keyValidAt(signer, p.signedAt)) {
      at(`the signer's key was not valid at that time (valid from ${signer.validFrom}${signer.validTo ? ` to ${signer.validTo}` : ''} in ${listed.source})`);
      continue;
    }
    let ok = false;
    try {
      ok = edVerify(null, Buffer.from(signingPayload(signedFieldsOf(p))), parsePublicKey(signer.publicKey), Buffer.from(p.signature, 'base64'));
    } catch {
      ok = false;
    }
    if (!ok) {
      at(`the signature does not verify with the key ${listed.source} lists for ${p.signerId}: forged, or its fields were edited`);
      continue;
    }
    validSignatures.add(seq);
  }
  const interrupted = new Set(interruptedSignings(t).map((s) => s.seq));
  for (const { seq, payload: p } of unstatedSignatures(t)) {
    if (interrupted.has(seq)) continue;
    problems.push({ seq, runId: p.runId, message: `signature by ${p.signerId} (${p.meaning}, ${p.signedAt}): it changes the release state of ${p.key}, but no state entry rests on it and signatures or states follow it: its state entry was deleted` });
  }
  const state = new Map<string, string>();
  for (const { seq, payload: s } of t.states) {
    const at = (message: string) => problems.push({ seq, runId: s.runId, message: `state change of ${s.key} (${s.from} -> ${s.to}): ${message}` });
    const before = state.get(s.key) ?? 'pending';
    if (s.from !== before) at(`it starts from ${s.from}, but the state was ${before}`);
    state.set(s.key, s.to);
    const acting = s.signatures[s.signatures.length - 1];
    const named = t.signatures.find((x) => x.seq === acting?.seq);
    if (!acting || !named || named.seq > seq || named.payload.key !== s.key) {
      at('it names no signature of its own run before it: a state changes only by a signed action');
      continue;
    }
    if (!validSignatures.has(named.seq)) at(`the signature it rests on (seq ${named.seq}) does not verify`);
  }
  return problems;
}

/** Signings a crash cut between the signature and its state entry (interrupted.ts): noted, not tampering; the next signing completes them. */
export function interruptedSigningNotices(entries: readonly AuditEntry[]): SignatureProblem[] {
  return interruptedSignings(gxpTrailOf(entries)).map(({ seq, payload: p }) => ({
    seq,
    runId: p.runId,
    message: `signature by ${p.signerId} (${p.meaning}, ${p.signedAt}): its signing was interrupted before the state change of ${p.key} was recorded (not tampering; the next "weir sign" in this workspace records it)`,
  }));
}
