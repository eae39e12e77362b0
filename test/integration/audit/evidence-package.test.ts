import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEntry, auditLogPath } from '../../../src-main/engine/audit/audit-log';
import { runWeir } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });

/** A workspace in git: seed rows from a CSV file (an input with a hash) → check. */
function makeWorkspace(): string {
  const ws = tempDir('weir-evidence-ws-');
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }));
  mkdirSync(join(ws, 'pipelines'));
  mkdirSync(join(ws, 'data'));
  writeFileSync(join(ws, 'data', 'assays.csv'), 'batch_id,viability_pct\nB0042,91.5\nB0043,88.0\n');
  const pipeline = {
    format: 'weir.pipeline',
    version: 1,
    name: 'batch_release',
    nodes: [
      { id: 'src', name: 'assays', kind: 'file_source', config: { path: 'data/assays.csv', format: 'csv' } },
      { id: 'chk', name: 'assays_checked', kind: 'check', inputs: ['src'], config: { rules: [{ type: 'not_null', column: 'batch_id' }, { type: 'range', column: 'viability_pct', min: 0, max: 100 }] } },
    ],
  };
  writeFileSync(join(ws, 'pipelines', 'batch_release.weir.json'), JSON.stringify(pipeline, null, 2));
  writeFileSync(join(ws, 'signers.json'), JSON.stringify({ format: 'weir.signers', version: 1, signers: [] }));
  writeFileSync(join(ws, '.gitignore'), '.weir/\n');
  git(ws, 'init', '-q');
  git(ws, 'add', '.');
  git(ws, 'commit', '-qm', 'pipeline');
  return ws;
}

describe('weir evidence: a package that verifies on its own', () => {
  let ws: string;
  let runId: string;
  let pkg: string;

  beforeAll(async () => {
    ws = makeWorkspace();
    const run = await runWeir(['run', join(ws, 'pipelines', 'batch_release.weir.json')]);
    expect(run.code, run.stderr).toBe(0);
    runId = readdirSync(join(ws, '.weir', 'runs')).find((n) => n.endsWith('.json'))!.slice(0, -5);
    // A signature as the signing feature appends it: copied verbatim, whatever its payload.
    await appendAuditEntry(ws, { type: 'signature', runId, payload: { signer: 'Dana QA', meaning: 'approved', at: '2026-12-07T00:00:00.000Z', comment: 'B0042 <ok>' } });
    expect((await runWeir(['run', join(ws, 'pipelines', 'batch_release.weir.json')])).code).toBe(0);
    pkg = join(tempDir('weir-evidence-out-'), 'B0042');
    const res = await runWeir(['evidence', runId, '--out', pkg, '--workspace', ws]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`evidence package for run ${runId}: ${pkg}`);
  });

  it('holds the record, report, pipeline at its commit, inputs, signatures, chain to the anchor, signers and a printable summary', () => {
    const files = (dir: string, base = ''): string[] => readdirSync(join(dir, base), { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(dir, join(base, d.name)) : [join(base, d.name)]));
    expect(files(pkg).sort()).toEqual(
      [
        'audit/anchors.json',
        'audit/chain.jsonl',
        'audit/signatures.jsonl',
        `inputs/${runId}.json`,
        'manifest.json',
        `pipelines/${runId}/batch_release.weir.json`,
        `reports/${runId}.html`,
        `runs/${runId}.json`,
        'signers/signers.json',
        'summary.html',
      ].sort(),
    );
    expect(readFileSync(join(pkg, 'runs', `${runId}.json`), 'utf8')).toBe(readFileSync(join(ws, '.weir', 'runs', `${runId}.json`), 'utf8'));
    expect(readFileSync(join(pkg, 'pipelines', runId, 'batch_release.weir.json'), 'utf8')).toBe(git(ws, 'show', 'HEAD:pipelines/batch_release.weir.json'));
    const inputs = JSON.parse(readFileSync(join(pkg, 'inputs', `${runId}.json`), 'utf8')) as { inputs: { uri: string; sha256?: string }[] };
    expect(inputs.inputs[0]).toMatchObject({ uri: expect.stringContaining('assays.csv'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The chain from the record to the head: the record, the signature, the second run.
    const log = readFileSync(auditLogPath(ws), 'utf8');
    expect(readFileSync(join(pkg, 'audit', 'chain.jsonl'), 'utf8')).toBe(log);
    const sig = readFileSync(join(pkg, 'audit', 'signatures.jsonl'), 'utf8');
    expect(sig.trim().split('\n')).toHaveLength(1);
    expect(log).toContain(sig.trim());
    const anchors = JSON.parse(readFileSync(join(pkg, 'audit', 'anchors.json'), 'utf8')) as { git: { seq: number; commit: string }[] };
    expect(anchors.git).toEqual([expect.objectContaining({ seq: 3, commit: git(ws, 'rev-parse', 'refs/weir/audit').trim() })]);
    const summary = readFileSync(join(pkg, 'summary.html'), 'utf8');
    expect(summary).toContain('@media print');
    expect(summary).toContain('B0042 &#60;ok&#62;');
    expect(summary).not.toMatch(/<script/i);
  });

  it('verifies on a machine copy with no workspace; one edited byte in any file fails naming it', async () => {
    const copy = join(tempDir('weir-evidence-copy-'), 'pkg');
    cpSync(pkg, copy, { recursive: true });
    const ok = await runWeir(['audit', 'verify', '--package', copy], { cwd: tempDir('weir-evidence-nowhere-') });
    expect(ok.stdout).toMatch(/^evidence package intact: .* \(1 run\(s\); chain seq 1 to 3\)/);
    expect(ok.code).toBe(0);
    for (const file of [`reports/${runId}.html`, `runs/${runId}.json`, 'audit/chain.jsonl', 'summary.html', `inputs/${runId}.json`, 'signers/signers.json']) {
      const t = join(tempDir('weir-evidence-bad-'), 'pkg');
      cpSync(pkg, t, { recursive: true });
      const path = join(t, ...file.split('/'));
      const bytes = readFileSync(path);
      const at = bytes.indexOf(file.endsWith('.html') ? 'PASS' : '"') + 1;
      bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
      writeFileSync(path, bytes);
      const res = await runWeir(['audit', 'verify', '--package', t]);
      expect(res.code, file).toBe(1);
      expect(res.stdout, file).toContain('evidence package TAMPERED');
      expect(res.stdout, file).toContain(`${file} was edited`);
    }
  });

  it('a forger who also fixes manifest.json is still caught by the chain', async () => {
    const t = join(tempDir('weir-evidence-forged-'), 'pkg');
    cpSync(pkg, t, { recursive: true });
    const report = join(t, 'reports', `${runId}.html`);
    writeFileSync(report, readFileSync(report, 'utf8').replace('>PASS<', '>FAIL<'));
    const manifestPath = join(t, 'manifest.json');
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: { path: string; sha256: string }[] };
    const { createHash } = await import('node:crypto');
    for (const f of m.files) if (f.path === `reports/${runId}.html`) f.sha256 = createHash('sha256').update(readFileSync(report)).digest('hex');
    writeFileSync(manifestPath, JSON.stringify(m, null, 2));
    const res = await runWeir(['audit', 'verify', '--package', t]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`reports/${runId}.html is not the file its audit entry (seq 1) hashed: edited`);
  });

  it('a file added to the package, or a symlink in it, is named and not read', async () => {
    const t = join(tempDir('weir-evidence-added-'), 'pkg');
    cpSync(pkg, t, { recursive: true });
    writeFileSync(join(t, 'runs', 'extra.json'), '{}');
    symlinkSync('/etc/hostname', join(t, 'audit', 'link.json'));
    const res = await runWeir(['audit', 'verify', '--package', t]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('runs/extra.json is not listed in manifest.json: added to the package');
    expect(res.stdout).toContain('audit/link.json is not a regular file (a symlink or a device): not read');
  });

  it('refuses what it cannot package: an unknown run, a non-empty folder, an existing zip', async () => {
    expect((await runWeir(['evidence', 'nope', '--out', join(tempDir('weir-ev-'), 'x'), '--workspace', ws])).stderr).toMatch(/no run "nope" .* no run record carries it as a lot key/);
    expect((await runWeir(['evidence', runId, '--out', pkg, '--workspace', ws])).stderr).toMatch(/exists and is not empty/);
    const zip = join(tempDir('weir-ev-'), 'x.zip');
    writeFileSync(zip, 'mine');
    const res = await runWeir(['evidence', runId, '--out', zip, '--workspace', ws]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`--out ${zip} exists: give a new file`);
    expect(readFileSync(zip, 'utf8')).toBe('mine');
  });

  it('--out FILE.zip: deterministic bytes, python3 zipfile extracts the folder output byte for byte, and it verifies', async () => {
    const out = tempDir('weir-ev-zip-');
    // SOURCE_DATE_EPOCH fixes the packaging time (manifest, summary): same trail, same bytes.
    const env = { SOURCE_DATE_EPOCH: '1796601600' };
    for (const name of ['a.zip', 'b.zip']) {
      const res = await runWeir(['evidence', runId, '--out', join(out, name), '--workspace', ws], { env });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain(`evidence package for run ${runId}: ${join(out, name)}`);
    }
    const a = readFileSync(join(out, 'a.zip'));
    expect(a.equals(readFileSync(join(out, 'b.zip')))).toBe(true);
    const folder = join(out, 'folder');
    expect((await runWeir(['evidence', runId, '--out', folder, '--workspace', ws], { env })).code).toBe(0);

    // Extracted by another implementation, with each entry's date, method and CRC as it reads them.
    const script = [
      'import json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(json.dumps([[i.filename, list(i.date_time), i.compress_type] for i in z.infolist()]))',
      'z.extractall(sys.argv[2])',
    ].join('\n');
    const extracted = join(out, 'extracted');
    const infos = JSON.parse(execFileSync('python3', ['-c', script, join(out, 'a.zip'), extracted], { encoding: 'utf8' })) as [string, number[], number][];
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { createdAt: string; files: { path: string; sha256: string }[] };
    expect(manifest.createdAt).toBe('2026-12-07T00:00:00.000Z');
    const names = [...manifest.files.map((f) => f.path), 'manifest.json'].sort();
    expect(infos.map((i) => i[0])).toEqual(names);
    for (const [, date, method] of infos) {
      expect(date).toEqual([1980, 1, 1, 0, 0, 0]);
      expect(method).toBe(8); // deflated
    }
    for (const name of names) expect(readFileSync(join(extracted, name)).equals(readFileSync(join(folder, name))), name).toBe(true);
    for (const f of manifest.files) expect(createHash('sha256').update(readFileSync(join(extracted, f.path))).digest('hex'), f.path).toBe(f.sha256);
    const v = await runWeir(['audit', 'verify', '--package', extracted]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });
});
