import { createHash, sign as edSign } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { WeirError } from '../../../../shared/errors';
import { signingPayload, SIGNATURE_FORMAT, STATE_FORMAT, type SignaturePayload, type StatePayload } from '../../../../shared/gxp/entries';
import { keyValidAt, SIGNERS_FILE, type ReleaseStateName, type SignatureMeaning, type SignerEntry, type SignersFile } from '../../../../shared/gxp/signers';
import type { Environment } from '../../context';
import { parsePublicKey, publicKeySha256, rawPublicKey, unlockKeyFile, type KeyWrapper } from './key-file';
import { keyFileIds, loadKeyFile } from './key-store';
import { completeInterrupted } from './interrupted';
import { appendAuditEntries } from '../audit-log';
import { decide, currentState, failedBlockingChecks, signaturesOf } from './release-state';
import { readSignersFile, signersHistory } from './signers-file';
import { findTrailRun, signatureEntry, stateEntry, readGxpTrail, stateKeyOf, type GxpTrail, type TrailRun } from './trail';
import { readRegularFile } from '../../host/regular-file';

export interface SignRequest {
  root: string;
  /** A run id or an unambiguous prefix. */
  runId: string;
  meaning: SignatureMeaning;
  comment?: string;
  /** Which key; by default the only signer of signers.json with a key file here. */
  signerId?: string;
  /** The second component, asked at each signing; used once and dropped. */
  passphrase: string;
}

export interface SignerEnv {
  /** Where key files live (settings.signerKeyDir). */
  keyDir: string;
  wrapper?: KeyWrapper;
  /** For git (signers.json's history). */
  processEnv: Environment;
  now: () => Date;
  /** The OS account signing. */
  account: string;
  lockWaitMs: number;
}

export interface SignResult {
  seq: number;
  signature: SignaturePayload;
  /** The state change it made, if any. */
  state: { from: ReleaseStateName; to: ReleaseStateName; seq: number } | null;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Why a run's record may not be signed: it ran from a pipeline file with uncommitted
 * changes, or (outside git) the file is no longer what ran. Null: it may be signed.
 */
export async function unsignableReason(root: string, run: TrailRun): Promise<string | null> {
  const p = run.record.pipeline;
  if (p.gitDirty) return `run ${run.runId} ran ${p.file} with uncommitted changes: commit the pipeline, run it again and sign that run`;
  if (p.gitCommit) return null;
  let now: string | null;
  try {
    now = sha256(await readRegularFile(join(root, p.file)));
  } catch {
    now = null;
  }
  if (now !== p.sha256) return `${p.file} is not the file run ${run.runId} ran (it was changed or removed since, and is not in git): the run cannot be signed`;
  return null;
}

/** What a signature of this run would cover: the designer's Sign dialog shows it whole. */
export interface SigningSubject {
  runId: string;
  key: string;
  recordSha256: string;
  pipeline: { name: string; file: string; sha256: string; gitCommit: string | null; gitDirty: boolean | null };
  status: string;
  finishedAt: string;
  inputs: { node: string; uri: string; version: string }[];
  checks: { node: string; rule: string; severity: string; passed: boolean; failingRows: number }[];
  state: ReleaseStateName;
  signatures: { seq: number; signerName: string; meaning: SignatureMeaning; signedAt: string }[];
  /** Why it cannot be signed, if so. */
  refusal: string | null;
  /** Signer ids of signers.json with a key file on this machine. */
  signers: { id: string; name: string; roles: string[] }[];
}

export async function signingSubject(root: string, runId: string, env: Pick<SignerEnv, 'keyDir' | 'wrapper'>): Promise<SigningSubject> {
  const t = await readGxpTrail(root);
  const run = findTrailRun(t, runId);
  const r = run.record;
  const signersFile = await readSignersFile(root).catch(() => null);
  const ids = new Set(await keyFileIds(env.keyDir, env.wrapper));
  return {
    runId: run.runId,
    key: stateKeyOf(run),
    recordSha256: run.recordSha256,
    pipeline: { ...r.pipeline, name: r.pipeline.name },
    status: r.status,
    finishedAt: r.finishedAt,
    inputs: r.nodes.flatMap((n) => (n.inputs ?? []).map((i) => ({ node: n.name, uri: i.uri, version: i.sha256 ?? i.versionId ?? i.etag ?? '' }))),
    checks: r.nodes.flatMap((n) => (n.checks ?? []).map((c) => ({ node: n.name, rule: c.rule, severity: c.severity, passed: c.passed, failingRows: c.failingRows }))),
    state: currentState(t, stateKeyOf(run)).state,
    signatures: signaturesOf(t, run).map((s) => ({ seq: s.seq, signerName: s.payload.signerName, meaning: s.payload.meaning, signedAt: s.payload.signedAt })),
    refusal: await unsignableReason(root, run),
    signers: (signersFile?.signers ?? []).filter((s) => ids.has(s.id)).map((s) => ({ id: s.id, name: s.name, roles: s.roles })),
  };
}

async function chooseSigner(file: SignersFile, env: SignerEnv, wanted: string | undefined): Promise<SignerEntry> {
  if (wanted) {
    const s = file.signers.find((x) => x.id === wanted);
    if (!s) throw new WeirError('usage', `signer "${wanted}" is not listed in ${SIGNERS_FILE}`);
    return s;
  }
  const ids = new Set(await keyFileIds(env.keyDir, env.wrapper));
  const mine = file.signers.filter((s) => ids.has(s.id));
  if (mine.length === 1) return mine[0]!;
  throw new WeirError('usage', mine.length ? `several signers have a key file here (${mine.map((s) => s.id).join(', ')}): choose one with --signer` : `no signer listed in ${SIGNERS_FILE} has a key file in ${env.keyDir} (weir signer init)`);
}

/**
 * Signs a run record: the signature (Ed25519 over the canonical signed fields) and, when its
 * meaning maps to a release state the policy allows, the state entry are appended to the audit
 * trail together, under its lock, after the policy is checked again against the trail as it
 * is then. Refused, with nothing appended, for a run of a dirty or changed pipeline, a signer
 * not listed or not valid now, a wrong passphrase, or a state change the policy refuses.
 */
export async function signRun(req: SignRequest, env: SignerEnv): Promise<SignResult> {
  const file = await readSignersFile(req.root);
  if (!file) throw new WeirError('usage', `no ${SIGNERS_FILE} in ${req.root}: list the workspace's signers first (weir signer init prints an entry)`);
  const history = await signersHistory(env.processEnv, req.root);
  if (history.inGit && history.dirty) {
    throw new WeirError('invalid', `${SIGNERS_FILE} has uncommitted changes: commit it first (signatures are verified against its committed history)`);
  }
  const t: GxpTrail = await readGxpTrail(req.root);
  const run = findTrailRun(t, req.runId);
  const unsignable = await unsignableReason(req.root, run);
  if (unsignable) throw new WeirError('invalid', unsignable);

  const signer = await chooseSigner(file, env, req.signerId);
  const signedAt = env.now().toISOString();
  if (!keyValidAt(signer, signedAt)) {
    throw new WeirError('invalid', `signer "${signer.id}"'s key is not valid now (${signedAt}): valid from ${signer.validFrom}${signer.validTo ? ` to ${signer.validTo}` : ''}`);
  }
  const listed = parsePublicKey(signer.publicKey);
  const keyFile = await loadKeyFile(env.keyDir, signer.id, env.wrapper);
  if (keyFile.publicKey !== rawPublicKey(listed).toString('base64')) {
    throw new WeirError('invalid', `the key file of signer "${signer.id}" does not hold the key ${SIGNERS_FILE} lists for it`);
  }
  const decision = decide(t, run, file.release, req.meaning, signer);
  if (decision?.refusal) throw new WeirError('invalid', decision.refusal);
  const privateKey = await unlockKeyFile(keyFile, req.passphrase);

  const fields = {
    runId: run.runId,
    key: stateKeyOf(run),
    recordSha256: run.recordSha256,
    meaning: req.meaning,
    signedAt,
    signerId: signer.id,
    comment: req.comment ?? '',
  };
  const signature: SignaturePayload = {
    format: SIGNATURE_FORMAT,
    version: 1,
    ...fields,
    signerName: signer.name,
    signerRoles: signer.roles,
    account: env.account,
    host: hostname(),
    pipeline: { file: run.record.pipeline.file, sha256: run.record.pipeline.sha256, gitCommit: run.record.pipeline.gitCommit },
    algorithm: 'Ed25519',
    publicKeySha256: publicKeySha256(listed),
    signature: edSign(null, Buffer.from(signingPayload(fields)), privateKey).toString('base64'),
  };
  const append = { lockWaitMs: env.lockWaitMs, env: env.processEnv };
  let made: { state: StatePayload | null; seq: number } = { state: null, seq: 0 };
  // One locked transaction: re-read the trail, complete a signing a crash interrupted, re-check
  // the policy against what is there now (another signer may have signed since the check
  // above), then the signature and its state change in one write.
  const written = await appendAuditEntries(
    req.root,
    async ({ nextSeq }) => {
      const { completions, trail } = completeInterrupted(await readGxpTrail(req.root), file.release, nextSeq);
      const now = findTrailRun(trail, run.runId);
      if (now.recordSha256 !== run.recordSha256) throw new WeirError('invalid', `the run record of ${run.runId} changed while it was being signed: sign again`);
      const decided = decide(trail, now, file.release, req.meaning, signer);
      if (decided?.refusal) throw new WeirError('invalid', decided.refusal);
      const seq = nextSeq + completions.length;
      const state: StatePayload | null = decided && {
        format: STATE_FORMAT,
        version: 1,
        runId: run.runId,
        key: fields.key,
        from: decided.from,
        to: decided.to,
        at: signedAt,
        recordSha256: run.recordSha256,
        signatures: [...decided.counted.map((s) => ({ seq: s.seq, signerId: s.payload.signerId, meaning: s.payload.meaning })), { seq, signerId: signer.id, meaning: req.meaning }],
      };
      made = { state, seq };
      return [...completions.map(stateEntry), signatureEntry(signature), ...(state ? [stateEntry(state)] : [])];
    },
    append,
  );
  const stateSeq = made.state ? written[written.length - 1]!.seq : null;
  return { seq: made.seq, signature, state: made.state && stateSeq !== null ? { from: made.state.from, to: made.state.to, seq: stateSeq } : null };
}

export { failedBlockingChecks };
