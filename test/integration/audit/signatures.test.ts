import { execFileSync } from 'node:child_process';
import { sign as edSign } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { signingPayload, type SignaturePayload } from '../../../shared/gxp/entries';
import { appendAuditEntry, auditHeadPath, auditLogPath, canonicalRecord, entryHash, GENESIS_HASH, serializeEntry, type AuditEntry } from '../../../src-main/engine/audit/audit-log';
import { unlockKeyFile } from '../../../src-main/engine/audit/signatures/key-file';
import { loadKeyFile } from '../../../src-main/engine/audit/signatures/key-store';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

/**
 * Electronic signatures and release states through the CLI (issue #18 items 1, 2): real
 * Ed25519 keys in encrypted key files, a workspace in git whose signers.json history says who
 * was listed when, and `weir audit verify` finding a forged signature, a record edited after
 * signing and a signer not listed at signing time even when the chain is re-hashed around them.
 */

const PASS = { 'qa.lead': 'qa lead passphrase', 'op.analyst': 'analyst passphrase', mallory: 'mallory passphrase' } as const;
type Signer = keyof typeof PASS;

const gitEnv = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};
const git = (ws: string, args: string[], env: Record<string, string> = {}) => execFileSync('git', args, { cwd: ws, env: { ...process.env, ...gitEnv, ...env }, encoding: 'utf8' });

const PIPELINE = join('pipelines', 'signed.weir.json');

function makeWorkspace(): string {
  const ws = tempDir('weir-sign-ws-');
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }));
  writeFileSync(join(ws, '.gitignore'), '.weir/\n');
  mkdirSync(join(ws, 'pipelines'));
  const pipeline = {
    format: 'weir.pipeline',
    version: 1,
    name: 'signed',
    params: {},
    nodes: [
      { id: 'seed', name: 'results', kind: 'seed', config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'viability_pct', type: 'DOUBLE' }], rows: [['B0001', 91.5], ['B0002', 88.25]] } },
      { id: 'chk', name: 'results_checked', kind: 'check', inputs: ['seed'], config: { rules: [{ type: 'range', column: 'viability_pct', min: 0, max: 100 }] } },
    ],
  };
  writeFileSync(join(ws, PIPELINE), JSON.stringify(pipeline, null, 2));
  return ws;
}

let keyDir: string;
let passDir: string;
const envFor = (who: Signer) => ({ WEIR_SIGNER_KEY_DIR: keyDir, WEIR_SIGN_PASSPHRASE_FILE: join(passDir, who), ...gitEnv });

async function weir(args: string[], env: Record<string, string> = {}) {
  return runWeir(args, { env: { WEIR_SIGNER_KEY_DIR: keyDir, ...gitEnv, ...env } });
}

async function runOnce(ws: string): Promise<string> {
  const res = await weir(['run', join(ws, PIPELINE), '--json']);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return res.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; runId: string }).find((e) => e.type === 'run_started')!.runId;
}

async function sign(ws: string, runId: string, who: Signer, meaning: string, extra: string[] = [], env: Record<string, string> = {}) {
  return runWeir(['sign', runId, '--meaning', meaning, '--signer', who, '--workspace', ws, ...extra], { env: { ...envFor(who), ...env } });
}

const logLines = (ws: string) => readFileSync(auditLogPath(ws), 'utf8').split('\n').slice(0, -1);

/** Re-hashes the whole chain after an edit, as someone who can write the folder would. */
function rechain(ws: string, edit: (entries: AuditEntry[]) => AuditEntry[]): void {
  const entries = edit(logLines(ws).map((l) => JSON.parse(l) as AuditEntry));
  let prev = GENESIS_HASH;
  const out: string[] = [];
  entries.forEach((e, i) => {
    const body = e.type === undefined || e.type === 'run' ? e.record : e.payload;
    const c = canonicalRecord(body);
    const next: AuditEntry = { ...e, seq: i + 1, recordSha256: c.sha256, prevHash: prev };
    next.hash = entryHash(next);
    prev = next.hash;
    out.push(serializeEntry(next, c.json));
  });
  writeFileSync(auditLogPath(ws), out.map((l) => `${l}\n`).join(''));
  const last = JSON.parse(out[out.length - 1]!) as AuditEntry;
  writeFileSync(auditHeadPath(ws), JSON.stringify({ seq: last.seq, runId: last.runId, hash: last.hash }, null, 2) + '\n');
}

async function verify(ws: string) {
  const res = await weir(['audit', 'verify', '--workspace', ws]);
  return { code: res.code, out: res.stdout + res.stderr };
}

function copyOf(ws: string): string {
  const dir = tempDir('weir-sign-tampered-');
  cpSync(ws, dir, { recursive: true });
  return dir;
}

describe('signatures and release states through the CLI', () => {
  let ws: string;
  let runId: string;
  const entries: Record<string, { id: string; publicKey: string }> = {};

  beforeAll(async () => {
    keyDir = tempDir('weir-sign-keys-');
    passDir = tempDir('weir-sign-pass-');
    for (const [who, p] of Object.entries(PASS)) writeFileSync(join(passDir, who), `${p}\n`);
    for (const [who, name, role] of [['qa.lead', 'Dr. Quinn Lead', 'QA'], ['op.analyst', 'Olga Analyst', 'Production'], ['mallory', 'Mallory', 'QA']] as const) {
      const res = await runWeir(['signer', 'init', '--id', who, '--name', name, '--role', role], { env: envFor(who) });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout + res.stderr).not.toContain(PASS[who]);
      entries[who] = JSON.parse(res.stdout) as { id: string; publicKey: string };
    }
    ws = makeWorkspace();
    const signers = {
      format: 'weir.signers',
      version: 1,
      signers: [entries['qa.lead'], entries['op.analyst']],
      release: { released: { signatures: 2, roles: ['QA'], noFailedBlockingCheck: true } },
    };
    writeFileSync(join(ws, 'signers.json'), JSON.stringify(signers, null, 2) + '\n');
    git(ws, ['init', '--quiet', '--initial-branch=main']);
    git(ws, ['add', '-A']);
    git(ws, ['commit', '--quiet', '-m', 'pipeline and signers']);
    runId = await runOnce(ws);
  }, 120_000);

  it('signer init writes an encrypted key outside the workspace and prints the signers.json entry', () => {
    const file = JSON.parse(readFileSync(join(keyDir, 'qa.lead.key.json'), 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({ format: 'weir.signer-key', signerId: 'qa.lead', cipher: 'aes-256-gcm', publicKey: entries['qa.lead']!.publicKey });
    expect(JSON.stringify(file)).not.toMatch(/PRIVATE KEY/);
    expect(entries['qa.lead']).toMatchObject({ id: 'qa.lead', name: 'Dr. Quinn Lead', roles: ['QA'] });
  });

  it('a release policy needing two signatures (one QA) refuses a single one, and nothing is appended', async () => {
    const before = logLines(ws).length;
    const res = await sign(ws, runId, 'qa.lead', 'released');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('released needs 2 signatures by different signers');
    expect(logLines(ws)).toHaveLength(before);
    const status = JSON.parse((await weir(['release', 'status', runId, '--workspace', ws, '--json'])).stdout) as { runs: { state: string }[] };
    expect(status.runs[0]!.state).toBe('pending');
  }, 60_000);

  it('a wrong passphrase signs nothing', async () => {
    const bad = join(passDir, 'wrong');
    writeFileSync(bad, 'not the passphrase\n');
    const before = logLines(ws).length;
    const res = await sign(ws, runId, 'op.analyst', 'approved', [], { WEIR_SIGN_PASSPHRASE_FILE: bad });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('wrong passphrase for signer "op.analyst"');
    expect(res.stderr).not.toContain('not the passphrase');
    expect(logLines(ws)).toHaveLength(before);
  }, 60_000);

  it('an approval then a QA release move the run to released; verify checks both signatures', async () => {
    const approved = await sign(ws, runId, 'op.analyst', 'approved', ['--comment', 'batch record reviewed']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain(`signed run ${runId} as approved: Olga Analyst (op.analyst)`);
    const released = await sign(ws, runId, 'qa.lead', 'released');
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout).toContain(`release state of ${runId}: pending -> released`);

    const types = logLines(ws).map((l) => (JSON.parse(l) as AuditEntry).type ?? 'run');
    expect(types.slice(-3)).toEqual(['signature', 'signature', 'state']);
    const sig = (JSON.parse(logLines(ws).at(-2)!) as AuditEntry).payload as unknown as SignaturePayload;
    expect(sig).toMatchObject({ meaning: 'released', signerName: 'Dr. Quinn Lead', signerId: 'qa.lead', runId, algorithm: 'Ed25519' });
    expect(sig.signedAt).toMatch(/Z$/);
    expect(sig.account).not.toBe('');

    const status = JSON.parse((await weir(['release', 'status', runId, '--workspace', ws, '--json'])).stdout) as { runs: { state: string; signatures: { meaning: string; comment: string }[] }[] };
    expect(status.runs[0]!.state).toBe('released');
    expect(status.runs[0]!.signatures.map((s) => s.meaning)).toEqual(['approved', 'released']);
    expect(status.runs[0]!.signatures[0]!.comment).toBe('batch record reviewed');

    const v = await verify(ws);
    expect(v.out).toContain('intact');
    expect(v.code).toBe(0);
    // Released is final.
    const again = await sign(ws, runId, 'op.analyst', 'rejected');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('is already released');
  }, 90_000);

  it('verify finds a forged signature (made with another key) even with the chain re-hashed', async () => {
    const copy = copyOf(ws);
    const mallory = await unlockKeyFile(await loadKeyFile(keyDir, 'mallory'), PASS.mallory);
    rechain(copy, (es) =>
      es.map((e) => {
        const p = e.payload as unknown as SignaturePayload | undefined;
        if (e.type !== 'signature' || p?.signerId !== 'qa.lead') return e;
        const forged = { ...p, comment: 'approved by me', signature: '' };
        forged.signature = edSign(null, Buffer.from(signingPayload(forged)), mallory).toString('base64');
        return { ...e, payload: forged as unknown as Record<string, unknown> };
      }),
    );
    const v = await verify(copy);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/signature by qa\.lead \(released, [^)]+\): the signature does not verify with the key signers\.json at commit [0-9a-f]{12} lists for qa\.lead/);
  }, 60_000);

  it('verify finds a run record edited after it was signed, even with the chain re-hashed', async () => {
    const copy = copyOf(ws);
    rechain(copy, (es) =>
      es.map((e) => {
        const r = e.record as { format?: string; runId?: string; params?: Record<string, unknown> } | undefined;
        return (e.type ?? 'run') === 'run' && r?.format === 'weir.run' && r.runId === runId ? { ...e, record: { ...r, environment: 'prod' } as AuditEntry['record'] } : e;
      }),
    );
    const v = await verify(copy);
    expect(v.code).toBe(1);
    expect(v.out).toContain('signature by op.analyst (approved');
    expect(v.out).toContain('the run record was changed after it was signed');
  }, 60_000);

  it('verify finds a signature by a signer listed only after the time it claims', async () => {
    const copy = copyOf(ws);
    const signedAt = new Date().toISOString();
    // Mallory is added to signers.json by a later commit (reviewed, say), then back-dates a signature.
    const signers = JSON.parse(readFileSync(join(copy, 'signers.json'), 'utf8')) as { signers: unknown[] };
    signers.signers.push({ ...entries.mallory, validFrom: '2020-01-01T00:00:00Z' });
    writeFileSync(join(copy, 'signers.json'), JSON.stringify(signers, null, 2) + '\n');
    const later = new Date(Date.now() + 3_600_000).toISOString();
    git(copy, ['commit', '--quiet', '-am', 'add mallory'], { GIT_COMMITTER_DATE: later, GIT_AUTHOR_DATE: later });
    const mallory = await unlockKeyFile(await loadKeyFile(keyDir, 'mallory'), PASS.mallory);
    const runEntry = logLines(copy).map((l) => JSON.parse(l) as AuditEntry).find((e) => (e.record as { format?: string } | undefined)?.format === 'weir.run')!;
    const fields = { runId, key: runId, recordSha256: runEntry.recordSha256, meaning: 'approved' as const, signedAt, signerId: 'mallory', comment: '' };
    const payload: SignaturePayload = {
      format: 'weir.signature',
      version: 1,
      ...fields,
      signerName: 'Mallory',
      signerRoles: ['QA'],
      account: 'mallory',
      host: 'h',
      pipeline: { file: 'pipelines/signed.weir.json', sha256: 'a'.repeat(64), gitCommit: null },
      algorithm: 'Ed25519',
      publicKeySha256: 'b'.repeat(64),
      signature: edSign(null, Buffer.from(signingPayload(fields)), mallory).toString('base64'),
    };
    await appendAuditEntry(copy, { type: 'signature', runId, payload: payload as unknown as Record<string, unknown> });
    const v = await verify(copy);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(new RegExp(`signature by mallory \\(approved, ${signedAt.replace(/[.]/g, '\\.')}\\): the signer was not listed in signers\\.json at commit [0-9a-f]{12} at ${signedAt.replace(/[.]/g, '\\.')}`));
  }, 60_000);

  it('outside git the current signers.json decides, by its validity dates', async () => {
    const plain = makeWorkspace();
    const signers = { format: 'weir.signers', version: 1, signers: [entries['qa.lead']] };
    writeFileSync(join(plain, 'signers.json'), JSON.stringify(signers));
    const id = await runOnce(plain);
    const res = await sign(plain, id, 'qa.lead', 'reviewed');
    expect(res.code, res.stderr).toBe(0);
    expect((await verify(plain)).code).toBe(0);
    // The key listed as valid only from tomorrow: the signature made today no longer counts.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    writeFileSync(join(plain, 'signers.json'), JSON.stringify({ ...signers, signers: [{ ...entries['qa.lead'], validFrom: tomorrow }] }));
    const v = await verify(plain);
    expect(v.code).toBe(1);
    expect(v.out).toContain(`the signer's key was not valid at that time (valid from ${tomorrow} in signers.json (current file; not in git))`);
  }, 90_000);

  it('refuses to sign a run of a pipeline with uncommitted changes, before asking the passphrase', async () => {
    const copy = copyOf(ws);
    const file = join(copy, PIPELINE);
    writeFileSync(file, readFileSync(file, 'utf8').replace('88.25', '88.5'));
    const dirtyRun = await runOnce(copy);
    const before = logLines(copy).length;
    const res = await runWeir(['sign', dirtyRun, '--meaning', 'approved', '--signer', 'qa.lead', '--workspace', copy], { env: { WEIR_SIGNER_KEY_DIR: keyDir, ...gitEnv } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`run ${dirtyRun} ran pipelines/signed.weir.json with uncommitted changes: commit the pipeline, run it again and sign that run`);
    expect(logLines(copy)).toHaveLength(before);
  }, 60_000);

  it('refuses a signers.json with uncommitted changes: signatures are checked against its history', async () => {
    const copy = copyOf(ws);
    writeFileSync(join(copy, 'signers.json'), readFileSync(join(copy, 'signers.json'), 'utf8').replace('Olga Analyst', 'Olga A.'));
    const res = await sign(copy, runId, 'op.analyst', 'reviewed');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('signers.json has uncommitted changes: commit it first');
  }, 60_000);

});
