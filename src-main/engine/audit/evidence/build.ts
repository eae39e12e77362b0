import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { WeirError } from '../../../../shared/errors';
import { SIGNERS_FILE } from '../../../../shared/gxp/signers';
import type { RunRecord } from '../../../../shared/run/record';
import type { Environment } from '../../context';
import { readAuditConfig } from '../anchor/config';
import { anchorRepo, readGitAnchors, safeGit } from '../anchor/git-anchor';
import type { LakeTrailReader } from '../anchor/lake-mirror';
import { readAuditLines, type AuditEntry } from '../audit-log';
import { runsDirAt } from '../runs-dir';
import { inputManifest, summaryHtml } from './render';
import { EVIDENCE_FORMAT, type EvidenceAnchors, type EvidenceManifest, type PackageFile } from './manifest';
import { readRegularFile } from '../../host/regular-file';
import { privatePath } from '../../host/private-folder';

/**
 * `weir evidence LOT|RUN_ID --out DIR`: everything an auditor needs about some runs, in a
 * folder that verifies on its own (`weir audit verify --package DIR`, no workspace needed):
 * the run record files and reports (covered by their audit entries' hashes), the pipeline
 * file at the run's commit, the input manifest, the signature and state entries, the audit
 * chain from the first record to the head and the anchor(s) it reaches, the signers file,
 * and a printable HTML summary; manifest.json lists every file with its SHA-256.
 */
export interface EvidenceRequest {
  workspaceRoot: string;
  /** A run id (or a prefix naming one run), or a lot key found in run records. */
  subject: string;
  out: string;
  env: Environment;
  lake?: LakeTrailReader | null;
  now?: () => Date;
}

export interface EvidenceResult {
  out: string;
  runs: string[];
  files: number;
  subject: EvidenceManifest['subject'];
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');


/** The lot a run record was for (a partitioned pipeline's run: `lot.value`, docs/lots.md), as a list. */
export function recordLots(record: Record<string, unknown>): string[] {
  const lot = record.lot;
  if (!lot || typeof lot !== 'object') return [];
  const value = (lot as { value?: unknown }).value;
  return typeof value === 'string' && value ? [value] : [];
}

async function runFiles(workspaceRoot: string): Promise<string[]> {
  try {
    return (await readdir(runsDirAt(workspaceRoot))).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
}

/** The runs a subject names: the run id (or a prefix of one), else every run whose record carries it as a lot key. */
async function subjectRuns(workspaceRoot: string, subject: string): Promise<{ kind: 'run' | 'lot'; runIds: string[] }> {
  const names = await runFiles(workspaceRoot);
  const ids = names.map((n) => n.slice(0, -'.json'.length));
  const exact = ids.filter((id) => id === subject);
  const prefixed = exact.length ? exact : ids.filter((id) => id.startsWith(subject));
  if (prefixed.length === 1) return { kind: 'run', runIds: prefixed };
  const lot: string[] = [];
  for (const n of names) {
    try {
      const r = JSON.parse((await readRegularFile(join(runsDirAt(workspaceRoot), n))).toString('utf8')) as Record<string, unknown>;
      if (recordLots(r).includes(subject)) lot.push(n.slice(0, -'.json'.length));
    } catch {
      // An unreadable record file: `weir audit verify` reports it; it names no lot here.
    }
  }
  if (lot.length) return { kind: 'lot', runIds: lot };
  if (prefixed.length > 1) throw new WeirError('usage', `"${subject}" matches ${prefixed.length} runs (${prefixed.slice(0, 3).join(', ')}…): give more of the run id`);
  throw new WeirError('usage', `no run "${subject}" in ${runsDirAt(workspaceRoot)}, and no run record carries it as a lot key`);
}

export async function buildEvidencePackage(req: EvidenceRequest): Promise<EvidenceResult> {
  const root = req.workspaceRoot;
  if (existsSync(req.out) && (await readdir(req.out)).length) throw new WeirError('usage', `--out ${req.out} exists and is not empty: give a new folder`);
  const { kind, runIds } = await subjectRuns(root, req.subject);
  const lines = (await readAuditLines(root)) ?? [];
  const parsed = lines.map((l) => {
    try {
      return JSON.parse(l) as AuditEntry;
    } catch {
      return null;
    }
  });
  const wanted = new Set(runIds);
  const recordSeqs = parsed.flatMap((e) => (e && wanted.has(e.runId) && (e.type ?? 'run') === 'run' && (e.record as { format?: string } | undefined)?.format === 'weir.run' ? [e.seq] : []));
  for (const id of runIds) {
    if (!parsed.some((e) => e?.runId === id && (e.record as { format?: string } | undefined)?.format === 'weir.run')) {
      throw new WeirError('invalid', `run ${id} has no record entry in the audit log: no evidence package can prove it (run "weir audit verify")`);
    }
  }
  const firstSeq = Math.min(...recordSeqs);
  const startLine = parsed.findIndex((e) => e?.seq === firstSeq);
  const chainLines = lines.slice(startLine);

  const files: PackageFile[] = [];
  const put = async (path: string, body: Buffer | string, what: string) => {
    const target = join(req.out, ...path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, body);
    files.push({ path, sha256: sha256(body), what });
  };
  await mkdir(req.out, { recursive: true });

  const records: RunRecord[] = [];
  const pipelines: EvidenceManifest['pipelines'] = [];
  for (const id of runIds) {
    const runText = await readRegularFile(join(runsDirAt(root), `${id}.json`));
    const record = JSON.parse(runText.toString('utf8')) as RunRecord;
    records.push(record);
    await put(`runs/${id}.json`, runText, 'run record file, as written (its SHA-256 is in its audit entry)');
    const report = privatePath(root, 'reports', `${id}.html`);
    if (existsSync(report)) await put(`reports/${id}.html`, await readRegularFile(report), 'HTML check report, as written (its SHA-256 is in its audit entry)');
    await put(`inputs/${id}.json`, JSON.stringify(inputManifest(record), null, 2) + '\n', 'what the run read: URIs with SHA-256, ETag or version id (from the run record)');
    const pipeline = await pipelineAtCommit(req.env, root, record);
    if (pipeline) {
      const path = `pipelines/${id}/${posix.basename(record.pipeline.file)}`;
      await put(path, pipeline.body, `the pipeline file at commit ${record.pipeline.gitCommit}`);
      pipelines.push({ runId: id, path, commit: record.pipeline.gitCommit!, matchesRecord: sha256(pipeline.body) === record.pipeline.sha256 });
    }
  }
  await put('audit/chain.jsonl', chainLines.map((l) => `${l}\n`).join(''), `the audit log from seq ${firstSeq} (the first record) to the head, verbatim`);
  const signatureLines = chainLines.filter((l, i) => {
    const e = parsed[startLine + i];
    return e && wanted.has(e.runId) && (e.type === 'signature' || e.type === 'state');
  });
  await put('audit/signatures.jsonl', signatureLines.map((l) => `${l}\n`).join(''), 'the signature and state entries of these runs, verbatim (also in chain.jsonl)');

  const anchors = await collectAnchors(req, root);
  await put('audit/anchors.json', JSON.stringify(anchors, null, 2) + '\n', 'where the chain head was anchored outside the workspace (git ref commit, lake trail records)');
  const signersPath = join(root, SIGNERS_FILE);
  if (existsSync(signersPath)) await put(`signers/${SIGNERS_FILE}`, await readRegularFile(signersPath), `the workspace's signers file (${SIGNERS_FILE}) as of packaging`);
  const head = JSON.parse(chainLines[chainLines.length - 1]!) as AuditEntry;
  const createdAt = (req.now ?? (() => new Date()))().toISOString();
  const subject = { kind, key: req.subject };
  await put('summary.html', summaryHtml({ subject, createdAt, records, head, firstSeq, anchors, signatures: signatureLines, pipelines }), 'readable summary (print it to PDF)');
  const manifest: EvidenceManifest = { format: EVIDENCE_FORMAT, version: 1, createdAt, subject, runs: runIds, chain: { from: firstSeq, to: head.seq, headHash: head.hash }, pipelines, files };
  await writeFile(join(req.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { out: req.out, runs: runIds, files: files.length + 1, subject };
}

/** The pipeline file as committed (`git cat-file`: no filters, no hooks), or null outside git. */
async function pipelineAtCommit(env: Environment, root: string, record: RunRecord): Promise<{ body: Buffer } | null> {
  const commit = record.pipeline.gitCommit;
  if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) return null;
  const repo = await anchorRepo(env, root);
  if (!repo) return null;
  const file = record.pipeline.file;
  if (file.startsWith('/') || file.split('/').includes('..')) return null;
  const inRepo = repo.workspace === '.' ? file : `${repo.workspace}/${file}`;
  try {
    const out = await safeGit(env, repo.top, ['cat-file', 'blob', `${commit}:${inRepo}`]);
    return { body: Buffer.from(out.stdout, 'utf8') };
  } catch {
    return null;
  }
}

async function collectAnchors(req: EvidenceRequest, root: string): Promise<EvidenceAnchors> {
  const config = await readAuditConfig(root);
  const out: EvidenceAnchors = { git: [], lake: [] };
  if (config.git.enabled) {
    const { repo, anchors } = await readGitAnchors(req.env, root);
    if (repo) out.git = anchors.slice(-1).map((a) => ({ commit: a.commit, seq: a.seq, hash: a.hash, at: a.at, ref: 'refs/weir/audit', workspace: a.workspace }));
  }
  if (req.lake) {
    const lines = (await readAuditLines(root)) ?? [];
    const first = lines.length ? (JSON.parse(lines[0]!) as AuditEntry).hash : null;
    const { records } = await req.lake.readChain(first);
    out.lake = records.slice(-1).map((r) => ({ uri: req.lake!.uri, seq: r.seq, hash: r.hash, localSeq: r.local.seq, localHash: r.local.hash }));
  }
  return out;
}
