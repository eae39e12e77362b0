import type { RunRecord } from '../../../../shared/run/record';
import type { AuditEntry } from '../audit-log';
import { STYLE, esc } from '../report/html';
import type { EvidenceAnchors, EvidenceManifest } from './manifest';

/** What a run read, from its record: one line per input object with whatever identifies its bytes. */
export function inputManifest(r: RunRecord): { runId: string; inputs: { node: string; uri: string; sha256?: string; etag?: string; versionId?: string }[] } {
  return {
    runId: r.runId,
    inputs: r.nodes.flatMap((n) =>
      (n.inputs ?? []).map((i) => ({
        node: n.name,
        uri: i.uri,
        ...(i.sha256 ? { sha256: i.sha256 } : {}),
        ...(i.etag ? { etag: i.etag } : {}),
        ...(i.versionId ? { versionId: i.versionId } : {}),
      })),
    ),
  };
}

const PRINT = `@media print{body{background:#fff;font-size:11pt}main{max-width:none;padding:0}section{break-inside:avoid}a{color:inherit;text-decoration:none}.noprint{display:none}table{font-size:9.5pt}}`;

function checksOf(r: RunRecord): string {
  const rows = r.nodes.flatMap((n) => (n.checks ?? []).map((c) => `<tr><td>${esc(n.name)}</td><td><code>${esc(c.rule)}</code></td><td>${c.passed ? '<span class="badge pass">PASS</span>' : c.severity === 'error' ? '<span class="badge fail">FAIL</span>' : '<span class="badge warn">WARN</span>'}</td><td class="num">${esc(c.failingRows)}</td></tr>`));
  return rows.length ? `<table><tr><th>Check node</th><th>Rule</th><th>Result</th><th>Failing rows</th></tr>${rows.join('')}</table>` : '<p>No checks.</p>';
}

function signatureRows(lines: readonly string[]): string {
  if (!lines.length) return '<p>No signature or state entries for these runs.</p>';
  const rows = lines.map((l) => {
    const e = JSON.parse(l) as AuditEntry;
    const p = e.payload ?? {};
    const pick = (k: string) => (typeof p[k] === 'string' || typeof p[k] === 'number' ? String(p[k]) : '');
    return `<tr><td class="num">${esc(e.seq)}</td><td>${esc(e.type)}</td><td><code>${esc(e.runId)}</code></td><td>${esc(pick('signer') || pick('name') || pick('printedName'))}</td><td>${esc(pick('meaning') || pick('state'))}</td><td>${esc(pick('at') || pick('time'))}</td><td>${esc(pick('comment'))}</td></tr>`;
  });
  return `<table><tr><th>Seq</th><th>Type</th><th>Run</th><th>Signer</th><th>Meaning / state</th><th>Time (UTC)</th><th>Comment</th></tr>${rows.join('')}</table>`;
}

/** The one readable page of a package; every value escaped, no scripts, no external resources. */
export function summaryHtml(a: {
  subject: EvidenceManifest['subject'];
  createdAt: string;
  records: RunRecord[];
  head: AuditEntry;
  firstSeq: number;
  anchors: EvidenceAnchors;
  signatures: string[];
  pipelines: EvidenceManifest['pipelines'];
}): string {
  const runs = a.records
    .map((r) => {
      const pipe = a.pipelines.find((p) => p.runId === r.runId);
      const inputs = r.nodes.flatMap((n) => n.inputs ?? []);
      return `<section><h2>Run <code>${esc(r.runId)}</code> <span class="badge ${r.status === 'succeeded' ? 'pass' : 'fail'}">${esc(r.status)}</span></h2>
<table class="meta"><tr><th>Pipeline</th><td>${esc(r.pipeline.name)} (<code>${esc(r.pipeline.file)}</code>)</td></tr>
<tr><th>Pipeline SHA-256</th><td><code>${esc(r.pipeline.sha256)}</code></td></tr>
<tr><th>Git commit</th><td>${r.pipeline.gitCommit ? `<code>${esc(r.pipeline.gitCommit)}</code>${r.pipeline.gitDirty ? ' (the file had uncommitted changes)' : ''}` : 'not in a git repository'}${pipe ? `; file in package: <code>${esc(pipe.path)}</code>${pipe.matchesRecord ? '' : ' (differs from the file as run)'}` : ''}</td></tr>
<tr><th>Environment / parameters</th><td>${esc(r.environment)}; ${Object.entries(r.params).map(([k, v]) => `<code>${esc(k)}=${esc(v)}</code>`).join(' ') || 'none'}</td></tr>
<tr><th>Who / where</th><td>${esc(r.user)} @ ${esc(r.host)}</td></tr>
<tr><th>When</th><td>${esc(r.startedAt)} → ${esc(r.finishedAt)}</td></tr>
<tr><th>Inputs</th><td>${inputs.length ? inputs.map((i) => `<code>${esc(i.uri)}</code> ${esc(i.sha256 ? `sha256 ${i.sha256}` : i.versionId ? `version ${i.versionId}` : i.etag ? `ETag ${i.etag}` : '')}`).join('<br>') : 'none recorded'}</td></tr></table>
<h3>Checks</h3>${checksOf(r)}</section>`;
    })
    .join('\n');
  const git = a.anchors.git.map((g) => `<li>git: ${esc(g.ref)} commit <code>${esc(g.commit)}</code> records seq ${esc(g.seq)}, hash <code>${esc(g.hash)}</code> (${esc(g.at)})</li>`);
  const lake = a.anchors.lake.map((l) => `<li>lake: ${esc(l.uri)} record ${esc(l.seq)} holds local seq ${esc(l.localSeq)}, hash <code>${esc(l.localHash)}</code></li>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Evidence · ${esc(a.subject.kind)} ${esc(a.subject.key)}</title>
<style>${STYLE}${PRINT}</style></head>
<body><main>
<h1>Evidence package: ${esc(a.subject.kind)} ${esc(a.subject.key)}</h1>
<p class="sub">Packaged ${esc(a.createdAt)}. ${esc(a.records.length)} run(s). Verify it with <code>weir audit verify --package &lt;this folder&gt;</code>.</p>
${runs}
<section><h2>Signatures and release states</h2>${signatureRows(a.signatures)}</section>
<section><h2>Audit chain</h2><p>Entries seq ${esc(a.firstSeq)} to ${esc(a.head.seq)} are in <code>audit/chain.jsonl</code>; the head is seq ${esc(a.head.seq)}, hash <code>${esc(a.head.hash)}</code>.</p>
<ul>${[...git, ...lake].join('') || '<li>No anchor: the chain is not anchored outside the workspace.</li>'}</ul></section>
</main></body></html>
`;
}
