import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { canonicalJson } from '../../../../shared/canonical-json';
import type { RunRecord } from '../../../../shared/run/record';
import { isSafeCoveredPath, type AuditEntry } from '../audit-log';
import { checkLine, type AuditProblem } from '../verify';
import { EVIDENCE_FORMAT, type EvidenceAnchors, type EvidenceManifest } from './manifest';
import { inputManifest } from './render';
import { readRegularFile, readRegularText } from '../../host/regular-file';

export interface PackageVerification {
  ok: boolean;
  path: string;
  runs: string[];
  chain: { from: number; to: number } | null;
  problems: AuditProblem[];
  notices: AuditProblem[];
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** The package's regular files; anything else (a symlink, a FIFO) is named in `odd` and never read. */
async function listFiles(dir: string, odd: string[], root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    const rel = relative(root, p).split(sep).join('/');
    if (d.isDirectory()) out.push(...(await listFiles(p, odd, root)));
    else if (d.isFile()) out.push(rel);
    else odd.push(rel);
  }
  return out;
}

/**
 * An evidence package on its own (no workspace): every file is the one the manifest lists;
 * the chain segment is intact and reaches its head; each run file and report is the one its
 * audit entry hashed; the input manifest is the record's; signature entries are in the chain;
 * the anchors name entries of the chain with the same hash. What the package alone cannot
 * show: that the anchor commit is really on the repository's ref (check `git cat-file -p
 * <commit>` there) and that the head is the trail's latest.
 */
export async function verifyEvidencePackage(path: string): Promise<PackageVerification> {
  const problems: AuditProblem[] = [];
  const notices: AuditProblem[] = [];
  const fail = (message: string) => problems.push({ message });
  const result = (m: EvidenceManifest | null, chain: PackageVerification['chain']): PackageVerification => ({ ok: problems.length === 0, path, runs: m?.runs ?? [], chain, problems, notices });
  if (!(await stat(path).catch(() => null))?.isDirectory()) {
    fail(`${path} is not a folder (an evidence package is a folder with manifest.json)`);
    return result(null, null);
  }
  let m: EvidenceManifest;
  try {
    if (!(await stat(join(path, 'manifest.json'))).isFile()) throw new Error('not a regular file');
    m = JSON.parse(await readRegularText(join(path, 'manifest.json'))) as EvidenceManifest;
    if (m.format !== EVIDENCE_FORMAT || !Array.isArray(m.files) || !Array.isArray(m.runs)) throw new Error('not an evidence manifest');
  } catch (e) {
    fail(`manifest.json cannot be read: ${(e as Error).message}`);
    return result(null, null);
  }
  // 1. Every file is the one listed, and nothing is added or missing.
  const listed = new Map<string, string>();
  for (const f of m.files) {
    if (!isSafeCoveredPath(f.path)) {
      fail(`manifest.json lists ${JSON.stringify(f.path)}, a path outside the package: forged`);
      continue;
    }
    listed.set(f.path, f.sha256);
  }
  const odd: string[] = [];
  const present = new Set((await listFiles(path, odd)).filter((f) => f !== 'manifest.json'));
  for (const p of odd) fail(`${p} is not a regular file (a symlink or a device): not read`);
  const bytes = new Map<string, Buffer>();
  for (const [p, hash] of listed) {
    if (!present.has(p)) {
      fail(`${p} is missing from the package`);
      continue;
    }
    const b = await readRegularFile(join(path, ...p.split('/')));
    bytes.set(p, b);
    if (sha256(b) !== hash) fail(`${p} was edited: its SHA-256 is not the one in manifest.json`);
  }
  for (const p of present) if (!listed.has(p)) fail(`${p} is not listed in manifest.json: added to the package`);

  // 2. The chain segment: each line intact on its own, consecutive, linked.
  const chainText = bytes.get('audit/chain.jsonl')?.toString('utf8');
  if (chainText === undefined) {
    fail('audit/chain.jsonl is missing: the package proves nothing');
    return result(m, null);
  }
  const lines = chainText.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const entries: AuditEntry[] = [];
  lines.forEach((l, i) => {
    const c = checkLine(l, i + 1);
    if (c.problem) problems.push({ ...c.problem, message: `audit/chain.jsonl: ${c.problem.message}` });
    if (c.entry) {
      const prev = entries[entries.length - 1];
      if (prev && (c.entry.seq !== prev.seq + 1 || c.entry.prevHash !== prev.hash)) fail(`audit/chain.jsonl line ${i + 1} (seq ${c.entry.seq}) does not chain onto seq ${prev.seq}: entries removed, reordered or replaced`);
      entries.push(c.entry);
    }
  });
  const head = entries[entries.length - 1];
  if (!head || entries[0]!.seq !== m.chain?.from || head.seq !== m.chain.to || head.hash !== m.chain.headHash) fail('audit/chain.jsonl does not run from the seq to the head manifest.json names');

  // 3. Each run: its file is its record entry's record, and the files its entry covers are these.
  for (const runId of m.runs) {
    const entry = [...entries].reverse().find((e) => e.runId === runId && (e.record as { format?: string } | undefined)?.format === 'weir.run');
    if (!entry) {
      fail(`run ${runId}: no record entry in audit/chain.jsonl`);
      continue;
    }
    const runFile = bytes.get(`runs/${runId}.json`);
    if (!runFile) continue;
    let record: RunRecord;
    try {
      record = JSON.parse(runFile.toString('utf8')) as RunRecord;
    } catch {
      fail(`runs/${runId}.json is not valid JSON`);
      continue;
    }
    if (sha256(canonicalJson(record)) !== entry.recordSha256) fail(`runs/${runId}.json is not the record its audit entry (seq ${entry.seq}) hashed: edited`);
    for (const f of entry.files ?? []) {
      const inPackage = f.path === `.weir/runs/${runId}.json` ? `runs/${runId}.json` : f.path === `.weir/reports/${runId}.html` ? `reports/${runId}.html` : null;
      const b = inPackage ? bytes.get(inPackage) : undefined;
      if (inPackage && !b) fail(`${inPackage} is missing: its audit entry (seq ${entry.seq}) covers it`);
      else if (inPackage && b && sha256(b) !== f.sha256) fail(`${inPackage} is not the file its audit entry (seq ${entry.seq}) hashed: edited`);
    }
    if (!entry.files?.length) notices.push({ seq: entry.seq, runId, message: 'its entry predates covered files: the report is vouched for by manifest.json only' });
    const inputs = bytes.get(`inputs/${runId}.json`);
    if (inputs && canonicalJson(JSON.parse(inputs.toString('utf8'))) !== canonicalJson(inputManifest(record))) fail(`inputs/${runId}.json is not what run ${runId}'s record says it read: edited`);
    const pipe = m.pipelines.find((p) => p.runId === runId);
    const pipeBytes = pipe && bytes.get(pipe.path);
    if (pipe && pipeBytes && (sha256(pipeBytes) === record.pipeline.sha256) !== pipe.matchesRecord) fail(`${pipe.path}: its SHA-256 ${pipe.matchesRecord ? 'is not' : 'is'} the pipeline SHA-256 in the run record, unlike what manifest.json says`);
    if (pipe && !pipe.matchesRecord) notices.push({ runId, message: `${pipe.path} is the file at commit ${pipe.commit}; the run used uncommitted changes (its SHA-256 differs)` });
  }

  // 4. Signatures: each one is an entry of the chain, verbatim.
  const sigText = bytes.get('audit/signatures.jsonl')?.toString('utf8') ?? '';
  const inChain = new Set(lines);
  sigText.split('\n').filter(Boolean).forEach((l, i) => {
    if (!inChain.has(l)) fail(`audit/signatures.jsonl line ${i + 1} is not an entry of audit/chain.jsonl: edited or forged`);
  });

  // 5. Anchors: each names an entry of the segment with the same hash.
  const anchorsText = bytes.get('audit/anchors.json');
  const anchors = anchorsText ? (JSON.parse(anchorsText.toString('utf8')) as EvidenceAnchors) : { git: [], lake: [] };
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const anchored = [...anchors.git.map((g) => ({ seq: g.seq, hash: g.hash, what: `git anchor commit ${g.commit.slice(0, 12)}` })), ...anchors.lake.map((l) => ({ seq: l.localSeq, hash: l.localHash, what: `lake record ${l.seq} (${l.uri})` }))];
  for (const a of anchored) {
    const e = bySeq.get(a.seq);
    if (!e) notices.push({ seq: a.seq, message: `the ${a.what} names seq ${a.seq}, outside the package's chain (seq ${entries[0]?.seq}–${head?.seq})` });
    else if (e.hash !== a.hash) fail(`seq ${a.seq}: its hash differs from the ${a.what}: the chain was rewritten`);
  }
  if (!anchored.length) notices.push({ message: 'no anchor in the package: the chain is vouched for by its own hashes only' });
  else if (head && !anchored.some((a) => a.seq === head.seq)) notices.push({ seq: head.seq, message: `the head (seq ${head.seq}) is after the last anchor` });
  return result(m, entries.length ? { from: entries[0]!.seq, to: head!.seq } : null);
}
