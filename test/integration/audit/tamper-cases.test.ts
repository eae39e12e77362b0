import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/canonical-json';
import { auditHeadPath, auditLogPath, canonicalRecord, entryBody, entryHash, serializeEntry, type AuditEntry } from '../../../src-main/engine/audit/audit-log';
import { runWeir, type CliResult } from '../../support/cli';
import { tempDir } from '../../support/temp-dir';

/**
 * The 26 tamper cases, re-measured (issue #18): each is done to a copy of one audited
 * workspace (a git repository, its trail mirrored to a folder connection inside it), and
 * `weir audit verify` must exit 1 naming what was found. The ones only an anchor can catch
 * (everything re-hashed by someone who can write the folder) are verified with --anchor.
 */

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });

function makeWorkspace(): string {
  const ws = tempDir('weir-tamper-ws-');
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: { trail: { kind: 'folder', path: 'lake' } } } } }));
  writeFileSync(join(ws, 'weir.audit.json'), JSON.stringify({ format: 'weir.audit', version: 1, lake: { connection: 'trail', prefix: 'audit' } }));
  mkdirSync(join(ws, 'pipelines'));
  mkdirSync(join(ws, 'lake'));
  writeFileSync(join(ws, '.gitignore'), '.weir/\nlake/\n');
  const pipeline = {
    format: 'weir.pipeline',
    version: 1,
    name: 'release',
    params: { min: { type: 'number', default: 0 } },
    nodes: [
      { id: 'seed', name: 'results', kind: 'seed', config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'v', type: 'DOUBLE' }], rows: [['B1', 91.5], ['B2', 88]] } },
      { id: 'chk', name: 'results_checked', kind: 'check', inputs: ['seed'], config: { rules: [{ type: 'not_null', column: 'batch_id' }, { type: 'range', column: 'v', min: 0, max: 100 }] } },
    ],
  };
  writeFileSync(join(ws, 'pipelines', 'release.weir.json'), JSON.stringify(pipeline, null, 2));
  git(ws, 'init', '-q');
  git(ws, 'add', '.');
  git(ws, 'commit', '-qm', 'pipeline');
  return ws;
}

async function runOnce(ws: string, min: number): Promise<CliResult> {
  return runWeir(['run', join(ws, 'pipelines', 'release.weir.json'), '--param', `min=${min}`]);
}

const logLines = (ws: string) => readFileSync(auditLogPath(ws), 'utf8').split('\n').slice(0, -1);
const writeLines = (ws: string, ls: string[]) => writeFileSync(auditLogPath(ws), ls.map((l) => `${l}\n`).join(''));
const parse = (l: string) => JSON.parse(l) as AuditEntry;
const runFile = (ws: string, id: string) => join(ws, '.weir', 'runs', `${id}.json`);
const reportFile = (ws: string, id: string) => join(ws, '.weir', 'reports', `${id}.html`);
const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** What an attacker with the code does: re-serialize entries from `from` on with recomputed hashes and seqs, and the head. */
function rechain(ws: string, entries: AuditEntry[], from = 0): void {
  for (let i = from; i < entries.length; i++) {
    const e = entries[i]!;
    e.seq = i + 1;
    e.prevHash = i === 0 ? '0'.repeat(64) : entries[i - 1]!.hash;
    e.recordSha256 = canonicalRecord(entryBody(e)).sha256;
    e.hash = entryHash(e);
  }
  writeLines(ws, entries.map((e) => serializeEntry(e, canonicalJson(entryBody(e)))));
  const last = entries[entries.length - 1]!;
  writeFileSync(auditHeadPath(ws), JSON.stringify({ seq: last.seq, runId: last.runId, hash: last.hash }, null, 2) + '\n');
}

/** A run's file edited and its entry's covered-file hashes brought in line, as a thorough forger would. */
function forgeRun(ws: string, e: AuditEntry, edit: (r: Record<string, unknown>) => void): void {
  const record = e.record as unknown as Record<string, unknown>;
  edit(record);
  const text = JSON.stringify(record, null, 2) + '\n';
  writeFileSync(runFile(ws, e.runId), text);
  e.files = e.files?.map((f) => (f.path.endsWith('.json') ? { ...f, sha256: sha(text) } : f));
}

interface Case {
  name: string;
  tamper: (ws: string, runIds: string[]) => void;
  /** Only an anchor catches it: verify with --anchor. */
  anchor?: boolean;
  expected: RegExp;
}

const cases: Case[] = [
  { name: 'one byte of a record changed', tamper: (ws) => writeLines(ws, logLines(ws).map((l, i) => (i === 1 ? l.replace('"min":2', '"min":7') : l))), expected: /seq 2.*the record was edited/ },
  { name: 'a record edited and its recordSha256 recomputed', tamper: (ws) => {
    const ls = logLines(ws); const e = parse(ls[1]!); (e.record as unknown as { params: { min: number } }).params.min = 7; e.recordSha256 = canonicalRecord(e.record).sha256;
    ls[1] = serializeEntry(e, canonicalJson(e.record)); writeLines(ws, ls);
  }, expected: /seq 2.*hash does not match/ },
  { name: 'a record edited with its own hash recomputed (next link breaks)', tamper: (ws) => {
    const ls = logLines(ws); const e = parse(ls[1]!); (e.record as unknown as { params: { min: number } }).params.min = 7; e.recordSha256 = canonicalRecord(e.record).sha256; e.hash = entryHash(e);
    ls[1] = serializeEntry(e, canonicalJson(e.record)); writeLines(ws, ls);
  }, expected: /seq 3.*chain is broken/ },
  { name: 'a middle entry deleted', tamper: (ws) => writeLines(ws, logLines(ws).filter((_, i) => i !== 1)), expected: /seq 2 is missing between seq 1/ },
  { name: 'the first entry deleted', tamper: (ws) => writeLines(ws, logLines(ws).slice(1)), expected: /the log starts at seq 2/ },
  { name: 'the last entry deleted', tamper: (ws) => writeLines(ws, logLines(ws).slice(0, -1)), expected: /its head says seq 3/ },
  { name: 'two entries swapped', tamper: (ws) => { const ls = logLines(ws); writeLines(ws, [ls[0]!, ls[2]!, ls[1]!]); }, expected: /swapped order/ },
  { name: 'an entry duplicated', tamper: (ws) => { const ls = logLines(ws); writeLines(ws, [...ls, ls[2]!]); }, expected: /out of order|head/ },
  { name: 'a garbage line inserted', tamper: (ws) => { const ls = logLines(ws); writeLines(ws, [ls[0]!, '{"seq":2,"nope"', ...ls.slice(1)]); }, expected: /line 2.*not valid JSON/ },
  { name: 'an empty line inserted', tamper: (ws) => { const ls = logLines(ws); writeLines(ws, [ls[0]!, '', ...ls.slice(1)]); }, expected: /line 2: empty line/ },
  { name: 'the log cut mid-line', tamper: (ws) => { const t = readFileSync(auditLogPath(ws), 'utf8'); writeFileSync(auditLogPath(ws), t.slice(0, t.length - 40)); }, expected: /line 3.*not valid JSON/ },
  { name: 'the log deleted (head kept)', tamper: (ws) => rmSync(auditLogPath(ws)), expected: /the audit log is missing, but its head says it held seq 3/ },
  { name: 'head.json deleted', tamper: (ws) => rmSync(auditHeadPath(ws)), expected: /head\.json is missing/ },
  { name: 'head.json edited', tamper: (ws) => { const h = JSON.parse(readFileSync(auditHeadPath(ws), 'utf8')) as { seq: number }; h.seq = 2; writeFileSync(auditHeadPath(ws), JSON.stringify(h)); }, expected: /head says seq 2/ },
  { name: 'a run record file edited', tamper: (ws, ids) => writeFileSync(runFile(ws, ids[1]!), readFileSync(runFile(ws, ids[1]!), 'utf8').replace('"min": 2', '"min": 7')), expected: /runs\/.*\.json (differs from the audit log's record|was edited)/ },
  { name: 'a run record file deleted', tamper: (ws, ids) => rmSync(runFile(ws, ids[1]!)), expected: new RegExp('seq 2.*\\.weir/runs/.*\\.json is missing: deleted') },
  { name: 'the HTML report edited, PASS to FAIL', tamper: (ws, ids) => writeFileSync(reportFile(ws, ids[0]!), readFileSync(reportFile(ws, ids[0]!), 'utf8').replace('>PASS<', '>FAIL<')), expected: /seq 1.*\.weir\/reports\/.*\.html was edited/ },
  { name: 'the HTML report deleted', tamper: (ws, ids) => rmSync(reportFile(ws, ids[2]!)), expected: /seq 3.*\.weir\/reports\/.*\.html is missing/ },
  { name: '.weir/audit deleted (runs and reports kept)', tamper: (ws) => rmSync(join(ws, '.weir', 'audit'), { recursive: true }), expected: /run record with no entry in the audit log/ },
  { name: '.weir deleted entirely', tamper: (ws) => rmSync(join(ws, '.weir'), { recursive: true }), anchor: true, expected: /git anchor .* records seq 3, but the local log ends at nothing/ },
  { name: 'a forged append with recomputed hash and head.json', anchor: true, tamper: (ws) => {
    const entries = logLines(ws).map(parse); const forged = JSON.parse(JSON.stringify(entries[2])) as AuditEntry; forged.runId = `${forged.runId.slice(0, -1)}f`; (forged.record as unknown as { runId: string }).runId = forged.runId; delete forged.files;
    rechain(ws, [...entries, forged]);
  }, expected: /seq 4 is not in the git anchor/ },
  { name: 'a middle entry edited and re-hashed from there on', anchor: true, tamper: (ws) => {
    const entries = logLines(ws).map(parse); forgeRun(ws, entries[1]!, (r) => ((r.params as { min: number }).min = 7)); rechain(ws, entries, 1);
  }, expected: /seq 2.*hash differs from the git anchor/ },
  { name: 'an entry deleted and the rest renumbered', anchor: true, tamper: (ws, ids) => {
    const entries = logLines(ws).map(parse).filter((_, i) => i !== 1); rmSync(runFile(ws, ids[1]!)); rmSync(reportFile(ws, ids[1]!)); rechain(ws, entries, 1);
  }, expected: /git anchor .* records seq 3, but the local log ends at seq 2/ },
  { name: 'the last record deleted with its run file and report, head rewritten', anchor: true, tamper: (ws, ids) => {
    const entries = logLines(ws).map(parse).slice(0, -1); rmSync(runFile(ws, ids[2]!)); rmSync(reportFile(ws, ids[2]!)); rechain(ws, entries, entries.length);
  }, expected: /records seq 3, but the local log ends at seq 2: entries were deleted/ },
  { name: 'a wholesale rewrite with every hash recomputed', anchor: true, tamper: (ws) => {
    const entries = logLines(ws).map(parse); for (const e of entries) forgeRun(ws, e, (r) => ((r.user as string) = 'qa.director')); rechain(ws, entries, 0);
  }, expected: /seq 1.*hash differs from the git anchor.*rewritten/ },
  { name: 'a forged run record file added', tamper: (ws, ids) => {
    const r = JSON.parse(readFileSync(runFile(ws, ids[0]!), 'utf8')) as { runId: string }; r.runId = '20990101T000000.000Z-f0f0f0'; writeFileSync(runFile(ws, r.runId), JSON.stringify(r, null, 2));
  }, expected: /20990101T000000\.000Z-f0f0f0\.json is a run record with no entry/ },
];

describe('the 26 tamper cases of issue #18', () => {
  let base: string;
  let runIds: string[];

  beforeAll(async () => {
    base = makeWorkspace();
    for (const min of [1, 2, 3]) expect((await runOnce(base, min)).code).toBe(0);
    runIds = readdirSync(join(base, '.weir', 'runs')).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).sort();
    expect(runIds).toHaveLength(3);
  });

  it('the untouched workspace verifies, with its anchors', async () => {
    expect(cases).toHaveLength(26);
    const res = await runWeir(['audit', 'verify', '--anchor', '--workspace', base]);
    expect(res.stdout).toMatch(/anchors agree: git anchor at seq 3, lake trail at seq 3/);
    expect(res.code).toBe(0);
  });

  it.each(cases.map((c, i) => [i + 1, c.name, c] as const))('case %i, %s: detected', async (_n, _name, c) => {
    const ws = tempDir('weir-tamper-');
    cpSync(base, ws, { recursive: true });
    c.tamper(ws, runIds);
    const res = await runWeir(['audit', 'verify', '--workspace', ws, ...(c.anchor ? ['--anchor'] : [])]);
    expect(res.stdout).toContain('audit log TAMPERED');
    expect(res.stdout).toMatch(c.expected);
    expect(res.code).toBe(1);
  });

  it('a wholesale rewrite is detected against the git anchor alone and against the lake trail alone', async () => {
    const rewrite = cases.find((c) => c.name.startsWith('a wholesale rewrite'))!;
    const gitOnly = tempDir('weir-tamper-git-');
    cpSync(base, gitOnly, { recursive: true });
    writeFileSync(join(gitOnly, 'weir.audit.json'), JSON.stringify({ format: 'weir.audit', version: 1 }));
    rewrite.tamper(gitOnly, runIds);
    const g = await runWeir(['audit', 'verify', '--anchor', '--workspace', gitOnly]);
    expect(g.code).toBe(1);
    expect(g.stdout).toMatch(/hash differs from the git anchor/);
    expect(g.stdout).not.toMatch(/lake trail/);

    const lakeOnly = tempDir('weir-tamper-lake-');
    cpSync(base, lakeOnly, { recursive: true });
    git(lakeOnly, 'update-ref', '-d', 'refs/weir/audit');
    writeFileSync(join(lakeOnly, 'weir.audit.json'), JSON.stringify({ format: 'weir.audit', version: 1, git: { enabled: false }, lake: { connection: 'trail', prefix: 'audit' } }));
    rewrite.tamper(lakeOnly, runIds);
    const l = await runWeir(['audit', 'verify', '--anchor', '--workspace', lakeOnly]);
    expect(l.code).toBe(1);
    // The rewritten chain is not the one the lake holds (its first entry changed): none of it is mirrored.
    expect(l.stdout).toMatch(/seq 1 to 3 are not in the lake trail .*holds nothing for this workspace/);
  });

  it('a deleted or truncated trail refuses the next run (exit 2) instead of starting a new chain', async () => {
    for (const [what, tamper] of [
      ['log deleted', (ws: string) => rmSync(join(ws, '.weir', 'audit'), { recursive: true })],
      ['.weir deleted', (ws: string) => rmSync(join(ws, '.weir'), { recursive: true })],
      ['log truncated', (ws: string) => writeLines(ws, logLines(ws).slice(0, 1))],
    ] as const) {
      const ws = tempDir('weir-tamper-run-');
      cpSync(base, ws, { recursive: true });
      tamper(ws);
      const res = await runOnce(ws, 9);
      expect(res.code, what).toBe(2);
      expect(res.stderr, what).toMatch(/audit trail of .* is broken: .*Nothing was run: run "weir audit verify"/);
      expect(existsSync(auditLogPath(ws)) ? logLines(ws).length : 0, what).toBeLessThanOrEqual(1);
    }
  });
});
