import { describe, expect, it } from 'vitest';
import type { SignaturePayload } from '../../../../shared/gxp/entries';
import { signersFileV1, type SignatureMeaning } from '../../../../shared/gxp/signers';
import { currentState, decide, releaseStatuses } from '../../../../src-main/engine/audit/signatures/release-state';
import type { GxpTrail, TrailRun } from '../../../../src-main/engine/audit/signatures/trail';
import { fakeRecord } from '../fake-record';

/** The release policy over a trail made in memory: who may move a run to which state. */
const record = fakeRecord(1);
const run: TrailRun = { seq: 1, runId: record.runId, recordSha256: 'a'.repeat(64), stored: {}, record };
const policy = signersFileV1.parse({ format: 'weir.signers', version: 1, signers: [], release: { released: { signatures: 2, roles: ['QA'], noFailedBlockingCheck: true } } }).release;

function sig(seq: number, signerId: string, meaning: SignatureMeaning, roles: string[], recordSha256 = run.recordSha256): { seq: number; payload: SignaturePayload } {
  return {
    seq,
    payload: {
      format: 'weir.signature',
      version: 1,
      runId: run.runId,
      key: run.runId,
      recordSha256,
      meaning,
      signedAt: '2026-12-01T00:00:00Z',
      signerId,
      comment: '',
      signerName: signerId,
      signerRoles: roles,
      account: 'u',
      host: 'h',
      pipeline: { file: 'p', sha256: 's', gitCommit: null },
      algorithm: 'Ed25519',
      publicKeySha256: 'b'.repeat(64),
      signature: '',
    },
  };
}

const trail = (signatures: ReturnType<typeof sig>[], states: GxpTrail['states'] = []): GxpTrail => ({ runs: [run], signatures, states, unreadable: [] });
const qa = { id: 'qa', roles: ['QA'] };
const prod = { id: 'prod', roles: ['Production'] };

describe('the release policy', () => {
  it('refuses a single release, then counts an approval by another signer', () => {
    expect(decide(trail([]), run, policy, 'released', qa)?.refusal).toMatch(/released needs 2 signatures by different signers \(approved or released\), this would be the only one/);
    expect(decide(trail([sig(2, 'prod', 'approved', ['Production'])]), run, policy, 'released', qa)).toMatchObject({ from: 'pending', to: 'released', refusal: null });
  });

  it('counts one signature per signer, ignores signatures of another record hash, and needs the QA role', () => {
    expect(decide(trail([sig(2, 'qa', 'approved', ['QA'])]), run, policy, 'released', qa)?.refusal).toMatch(/this would be the only one/);
    expect(decide(trail([sig(2, 'prod', 'approved', ['Production'], 'c'.repeat(64))]), run, policy, 'released', qa)?.refusal).toMatch(/needs 2 signatures/);
    expect(decide(trail([sig(2, 'other', 'approved', ['Production'])]), run, policy, 'released', prod)?.refusal).toMatch(/needs a signer with role QA/);
  });

  it('refuses to release a run with a failed blocking check, and says which', () => {
    const failed = { ...record, nodes: [{ ...record.nodes[0]!, checks: [{ rule: 'range_v', severity: 'error' as const, passed: false, failingRows: 3, sample: [] }] }] };
    const bad: TrailRun = { ...run, record: failed };
    expect(decide({ ...trail([sig(2, 'prod', 'approved', ['Production'])]), runs: [bad] }, bad, policy, 'released', qa)?.refusal).toMatch(/no failed blocking check \(failed: assays_checked\.range_v\)/);
    // Rejecting it is allowed: the default rule for rejected asks no clean run.
    expect(decide(trail([]), bad, policy, 'rejected', qa)?.refusal).toBeNull();
  });

  it('keeps released and rejected final, lets on hold move on, and changes no state for reviewed or approved', () => {
    const released = [{ seq: 4, payload: { format: 'weir.release_state' as const, version: 1 as const, runId: run.runId, key: run.runId, from: 'pending' as const, to: 'released' as const, at: 't', recordSha256: run.recordSha256, signatures: [] } }];
    expect(currentState(trail([], released), run.runId).state).toBe('released');
    expect(decide(trail([], released), run, policy, 'rejected', qa)?.refusal).toMatch(/already released: a released state is final/);
    const held = [{ ...released[0]!, payload: { ...released[0]!.payload, to: 'on_hold' as const } }];
    expect(decide(trail([], held), run, policy, 'rejected', qa)).toMatchObject({ from: 'on_hold', to: 'rejected', refusal: null });
    expect(decide(trail([]), run, policy, 'approved', qa)).toBeNull();
    expect(releaseStatuses(trail([sig(2, 'prod', 'approved', ['Production'])], held))[0]).toMatchObject({ state: 'on_hold', signatures: [{ signerId: 'prod', meaning: 'approved' }] });
  });
});
