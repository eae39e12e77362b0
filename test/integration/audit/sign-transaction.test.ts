import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditDir, auditHeadPath, auditLogPath, canonicalRecord, entryHash, GENESIS_HASH, serializeEntry, type AuditEntry } from '../../../src-main/engine/audit/audit-log';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runWeir, WEIR_BIN } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

/**
 * A signing is one locked transaction on the trail (issue #18, gaps 1 and 4): two `weir sign`
 * processes racing on one run where the policy allows one outcome; a crash between the
 * signature's line and its state's line; the passphrase on standard input, refused without a
 * terminal, and a wrong one writing nothing. Real child processes of bin/weir.cjs throughout.
 */

const execFileP = promisify(execFile);
const PTY_RUN = fileURLToPath(new URL('../../support/pty-run.py', import.meta.url));

const PASS = { 'qa.lead': 'qa lead passphrase', 'op.analyst': 'analyst passphrase' } as const;
type Signer = keyof typeof PASS;
const PIPELINE = join('pipelines', 'signed.weir.json');

let keyDir: string;
let ws: string;

const weir = (args: string[], o: { env?: Record<string, string>; input?: string } = {}) =>
  runWeir(args, { env: { WEIR_SIGNER_KEY_DIR: keyDir, WEIR_SIGN_PASSPHRASE_FILE: '', ...o.env }, ...(o.input === undefined ? {} : { input: o.input }) });

/** `weir sign` with the passphrase on standard input. */
const sign = (runId: string, who: Signer, meaning: string, o: { env?: Record<string, string>; passphrase?: string } = {}) =>
  weir(['sign', runId, '--meaning', meaning, '--signer', who, '--workspace', ws, '--passphrase-stdin'], { env: o.env, input: `${o.passphrase ?? PASS[who]}\n` });

const logText = () => readFileSync(auditLogPath(ws), 'utf8');
const entries = () => logText().split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEntry);

async function runOnce(): Promise<string> {
  const res = await weir(['run', join(ws, PIPELINE), '--json']);
  expect(res.code, res.stderr).toBe(0);
  return res.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; runId: string }).find((e) => e.type === 'run_started')!.runId;
}

async function stateOf(runId: string): Promise<string> {
  const res = await weir(['release', 'status', runId, '--workspace', ws, '--json']);
  return (JSON.parse(res.stdout) as { runs: { state: string }[] }).runs[0]!.state;
}

async function verify(dir = ws) {
  const res = await weir(['audit', 'verify', '--workspace', dir]);
  return { code: res.code, out: res.stdout + res.stderr };
}

describe('a signing is one locked transaction on the trail', () => {
  beforeAll(async () => {
    keyDir = tempDir('weir-signtx-keys-');
    const listed: unknown[] = [];
    for (const [who, name, role] of [['qa.lead', 'Dr. Quinn Lead', 'QA'], ['op.analyst', 'Olga Analyst', 'Production']] as const) {
      // signer init reads the passphrase from standard input too (once: no confirmation there).
      const res = await weir(['signer', 'init', '--id', who, '--name', name, '--role', role, '--passphrase-stdin'], { input: `${PASS[who]}\n` });
      expect(res.code, res.stderr).toBe(0);
      listed.push(JSON.parse(res.stdout));
    }
    // Outside git: the current signers.json decides. The default policy: one signature releases,
    // rejects or holds, so two signers racing (released / rejected) can have only one outcome.
    ws = tempDir('weir-signtx-ws-');
    writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }));
    mkdirSync(join(ws, 'pipelines'));
    const pipeline = {
      format: 'weir.pipeline',
      version: 1,
      name: 'signed',
      params: {},
      nodes: [{ id: 'seed', name: 'results', kind: 'seed', config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }], rows: [['B0001']] } }],
    };
    writeFileSync(join(ws, PIPELINE), JSON.stringify(pipeline));
    writeFileSync(join(ws, 'signers.json'), JSON.stringify({ format: 'weir.signers', version: 1, signers: listed }, null, 2));
  }, 120_000);

  it('two concurrent signers (released / rejected) of one run: exactly one wins, the other is refused, the trail verifies', async () => {
    for (let round = 0; round < 3; round++) {
      const runId = await runOnce();
      const before = entries().length;
      const [a, b] = await Promise.all([sign(runId, 'qa.lead', 'released'), sign(runId, 'op.analyst', 'rejected')]);
      const won = [a, b].filter((r) => r.code === 0);
      const lost = [a, b].filter((r) => r.code !== 0);
      expect(won, `${a.stderr}\n${b.stderr}`).toHaveLength(1);
      expect(lost[0]!.code).toBe(2);
      expect(lost[0]!.stderr).toMatch(new RegExp(`run ${runId} is already (released|rejected): a (released|rejected) state is final`));
      const winner = a.code === 0 ? 'released' : 'rejected';
      expect(await stateOf(runId)).toBe(winner);
      // The winner's signature and state only: the loser appended nothing.
      const added = entries().slice(before);
      expect(added.map((e) => e.type)).toEqual(['signature', 'state']);
      expect(added[1]!.payload).toMatchObject({ from: 'pending', to: winner, signatures: [{ seq: added[0]!.seq }] });
    }
    const v = await verify();
    expect(v.out).toContain('intact');
    expect(v.code).toBe(0);
  }, 180_000);

  it('a crash between the signature and its state leaves a noted, not broken, trail that the next signing completes', async () => {
    const crashed = await runOnce();
    const other = await runOnce();
    const headBefore = readFileSync(auditHeadPath(ws), 'utf8');
    const res = await sign(crashed, 'qa.lead', 'released', { env: { WEIR_TEST_CRASH_MID_APPEND: '1' } });
    expect(res.signal).toBe('SIGKILL');
    // Half written: the signature's line, no state, the head not moved, the dead process's lock left.
    const last = entries().at(-1)!;
    expect(last).toMatchObject({ type: 'signature', payload: { runId: crashed, meaning: 'released' } });
    expect(readFileSync(auditHeadPath(ws), 'utf8')).toBe(headBefore);
    expect(existsSync(join(auditDir(ws), 'log.lock'))).toBe(true);
    expect(await stateOf(crashed)).toBe('pending');
    const noted = await verify();
    expect(noted.code).toBe(0);
    expect(noted.out).toContain(`seq ${last.seq}`);
    expect(noted.out).toContain('its signing was interrupted before the state change');

    // The next signing (of another run, by another signer) first records the interrupted change.
    const next = await sign(other, 'op.analyst', 'reviewed');
    expect(next.code, next.stderr).toBe(0);
    const added = entries().slice(-2);
    expect(added.map((e) => e.type)).toEqual(['state', 'signature']);
    expect(added[0]!.payload).toMatchObject({ runId: crashed, from: 'pending', to: 'released', at: (last.payload as { signedAt: string }).signedAt, signatures: [{ seq: last.seq, signerId: 'qa.lead' }] });
    expect(added[1]!.payload).toMatchObject({ runId: other, meaning: 'reviewed' });
    expect(await stateOf(crashed)).toBe('released');
    const v = await verify();
    expect(v.code).toBe(0);
    expect(v.out).toContain('intact');
    expect(v.out).not.toContain('interrupted');

    // The same shape in the middle of the trail is no interruption: a state entry was deleted.
    const copy = tempDir('weir-signtx-deleted-');
    mkdirSync(join(copy, '.weir'), { recursive: true });
    writeFileSync(join(copy, 'weir.workspace.json'), readFileSync(join(ws, 'weir.workspace.json')));
    writeFileSync(join(copy, 'signers.json'), readFileSync(join(ws, 'signers.json')));
    mkdirSync(join(copy, '.weir', 'audit'));
    rechain(copy, entries().filter((e) => e.seq !== added[0]!.seq));
    const tampered = await verify(copy);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain(`signature by qa.lead (released, ${(last.payload as { signedAt: string }).signedAt}): it changes the release state of ${crashed}, but no state entry rests on it`);
  }, 180_000);

  it('a wrong passphrase on standard input is refused and writes nothing', async () => {
    const runId = await runOnce();
    const log = logText();
    const head = readFileSync(auditHeadPath(ws), 'utf8');
    const res = await sign(runId, 'qa.lead', 'released', { passphrase: 'not the passphrase' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('wrong passphrase for signer "qa.lead"');
    expect(res.stdout + res.stderr).not.toContain('not the passphrase');
    expect(logText()).toBe(log);
    expect(readFileSync(auditHeadPath(ws), 'utf8')).toBe(head);
    // The right one, on standard input, signs.
    const ok = await sign(runId, 'qa.lead', 'released');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`release state of ${runId}: pending -> released`);
    expect(ok.stdout + ok.stderr).not.toContain(PASS['qa.lead']);
  }, 90_000);

  it('without a terminal, --passphrase-stdin or WEIR_SIGN_PASSPHRASE_FILE, signing is refused before anything is written', async () => {
    const runId = await runOnce();
    const log = logText();
    // Standard input is a pipe here (not a TTY): the prompt cannot hide what is typed.
    const res = await weir(['sign', runId, '--meaning', 'approved', '--signer', 'qa.lead', '--workspace', ws], { input: `${PASS['qa.lead']}\n` });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`sign run ${runId} as approved needs a passphrase: run it in a terminal, or give it on standard input (--passphrase-stdin)`);
    expect(logText()).toBe(log);
  }, 60_000);

  it('in a terminal the prompt reads the passphrase with echo off (a real pseudo-terminal, through python3)', async () => {
    const runId = await runOnce();
    const before = entries().length;
    // Typed with a wrong character erased by backspace: what is read is the passphrase, and
    // nothing typed appears on the terminal.
    const typed = `${PASS['qa.lead'].slice(0, 5)}X\u007f${PASS['qa.lead'].slice(5)}\r`;
    const res = await inTerminal(['sign', runId, '--meaning', 'released', '--signer', 'qa.lead', '--workspace', ws], [['passphrase: ', typed]]);
    expect(res.output).toContain(`passphrase: `);
    expect(res.code, res.output).toBe(0);
    expect(res.output).not.toContain(PASS['qa.lead'].slice(0, 5));
    expect(entries().length).toBeGreaterThan(before);
    expect(await stateOf(runId)).toBe('released');

    // Ctrl-C at the prompt cancels and writes nothing.
    const other = await runOnce();
    const log = logText();
    const cancelled = await inTerminal(['sign', other, '--meaning', 'approved', '--signer', 'qa.lead', '--workspace', ws], [['passphrase: ', 'abc\u0003']]);
    expect(cancelled.code).toBe(2);
    expect(cancelled.output).toContain('cancelled at the passphrase prompt');
    expect(logText()).toBe(log);
  }, 90_000);
});

/** Runs the CLI in a pseudo-terminal (test/support/pty-run.py), answering each prompt it waits for. */
async function inTerminal(args: string[], script: [string, string][]): Promise<{ code: number; output: string }> {
  const spec = { argv: [process.execPath, WEIR_BIN, ...args], env: { WEIR_SIGNER_KEY_DIR: keyDir, WEIR_SIGN_PASSPHRASE_FILE: '' }, script, timeout: 60 };
  const { stdout } = await execFileP('python3', [PTY_RUN, JSON.stringify(spec)], { maxBuffer: 10 * 1024 * 1024 });
  return JSON.parse(stdout) as { code: number; output: string };
}

/** Re-hashes a chain from its entries, as someone who can write the folder would. */
function rechain(dir: string, list: AuditEntry[]): void {
  let prev = GENESIS_HASH;
  const out: string[] = [];
  list.forEach((e, i) => {
    const c = canonicalRecord(e.type === undefined || e.type === 'run' ? e.record : e.payload);
    const next: AuditEntry = { ...e, seq: i + 1, recordSha256: c.sha256, prevHash: prev };
    next.hash = entryHash(next);
    prev = next.hash;
    out.push(serializeEntry(next, c.json));
  });
  writeFileSync(auditLogPath(dir), out.map((l) => `${l}\n`).join(''));
  const last = JSON.parse(out[out.length - 1]!) as AuditEntry;
  writeFileSync(auditHeadPath(dir), JSON.stringify({ seq: last.seq, runId: last.runId, hash: last.hash }, null, 2) + '\n');
}
