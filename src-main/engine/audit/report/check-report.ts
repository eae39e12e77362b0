import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult, NodeRecord, RunRecord } from '../../../../shared/run/record';
import { maskRunRecord } from '../../secrets/mask-run';
import type { Redactor } from '../../secrets/redactor';
import { STYLE, cell, esc } from './html';
import { privatePath } from '../../host/private-folder';

export function reportsDir(workspaceRoot: string): string {
  return privatePath(workspaceRoot, 'reports');
}

export function reportPath(workspaceRoot: string, runId: string): string {
  return join(reportsDir(workspaceRoot), `${runId}.html`);
}

type Outcome = 'pass' | 'fail' | 'warn';

function outcome(c: CheckResult): Outcome {
  if (c.passed) return 'pass';
  return c.severity === 'error' ? 'fail' : 'warn';
}

const LABEL: Record<Outcome, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN' };

function badge(kind: string, text: string): string {
  return `<span class="badge ${esc(kind)}">${esc(text)}</span>`;
}

function statusBadge(status: string): string {
  const kind = status === 'done' || status === 'succeeded' ? 'pass' : status === 'skipped' || status === 'cancelled' ? 'skip' : 'fail';
  return badge(kind, status);
}

function metaTable(r: RunRecord): string {
  const rows: [string, string][] = [
    ['Run', `<code>${esc(r.runId)}</code>`],
    ['Status', statusBadge(r.status)],
    ['Pipeline', `${esc(r.pipeline.name)} (<code>${esc(r.pipeline.file)}</code>)`],
    ['Pipeline SHA-256', `<code>${esc(r.pipeline.sha256)}</code>`],
    ['Git commit', r.pipeline.gitCommit ? `<code>${esc(r.pipeline.gitCommit)}</code>${r.pipeline.gitDirty ? ' (file has uncommitted changes)' : ''}` : 'not in a git repository'],
    ['Environment', esc(r.environment)],
    ['Parameters', Object.keys(r.params).length ? Object.entries(r.params).map(([k, v]) => `<code>${esc(k)}=${esc(v)}</code>`).join(' ') : 'none'],
    ['Started / finished', `${esc(r.startedAt)} → ${esc(r.finishedAt)} (${esc(r.durationMs)} ms)`],
    ['User @ host', `${esc(r.user)} @ ${esc(r.host)}`],
    ['Weir / DuckDB', `${esc(r.weirVersion)} / ${esc(r.duckdbVersion)}`],
  ];
  return `<table class="meta">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function sampleTable(c: CheckResult): string {
  if (!c.sample.length) return '';
  const cols = [...new Set(c.sample.flatMap((row) => Object.keys(row)))];
  const head = cols.map((k) => `<th>${esc(k)}</th>`).join('');
  const body = c.sample.map((row) => `<tr>${cols.map((k) => `<td>${cell(row[k])}</td>`).join('')}</tr>`).join('');
  const more = c.failingRows > c.sample.length ? `<p class="sub">First ${c.sample.length} of ${c.failingRows.toLocaleString('en-US')} failing rows.</p>` : '';
  return `<h3>${esc(c.rule)}: failing rows</h3><div class="sample"><table><tr>${head}</tr>${body}</table></div>${more}`;
}

function checkSection(n: NodeRecord): string {
  const checks = n.checks ?? [];
  const rows = checks
    .map((c) => {
      const o = outcome(c);
      return `<tr><td>${badge(o, LABEL[o])}</td><td><code>${esc(c.rule)}</code>${c.description ? `<br><span class="sub">${esc(c.description)}</span>` : ''}</td><td>${esc(c.type ?? '')}</td><td>${esc(c.severity)}</td><td class="num">${esc(c.failingRows)}</td><td>${esc(c.message ?? '')}</td></tr>`;
    })
    .join('');
  const table = `<table><tr><th>Result</th><th>Rule</th><th>Type</th><th>Severity</th><th>Failing rows</th><th>Detail</th></tr>${rows}</table>`;
  const error = n.status === 'failed' && n.error ? `<p>${badge('fail', 'blocked')} ${esc(n.error)}: everything downstream of this check was skipped.</p>` : '';
  if (!checks.length) {
    const why = n.status === 'skipped' || n.status === 'cancelled' ? 'Not evaluated: a node upstream of it did not finish.' : 'No results.';
    return `<section><h2>Check <code>${esc(n.name)}</code> ${statusBadge(n.status)}</h2>${error}<p>${esc(why)}</p></section>`;
  }
  return `<section><h2>Check <code>${esc(n.name)}</code> ${statusBadge(n.status)}</h2>${error}${table}${checks.filter((c) => !c.passed).map(sampleTable).join('')}</section>`;
}

function nodesTable(r: RunRecord): string {
  const rows = r.nodes
    .map(
      (n) =>
        `<tr><td><code>${esc(n.name)}</code></td><td>${esc(n.kind)}</td><td>${statusBadge(n.status)}</td><td class="num">${n.rows === null ? '' : esc(n.rows)}</td><td><code>${esc(n.outputHash ? n.outputHash.slice(0, 16) : '')}</code></td><td>${esc(n.error ?? '')}</td></tr>`,
    )
    .join('');
  return `<h2>Nodes</h2><table><tr><th>Node</th><th>Kind</th><th>Status</th><th>Rows</th><th>Output hash</th><th>Error / reason</th></tr>${rows}</table>`;
}

/**
 * A self-contained HTML page for one run (like Great Expectations' data docs): every check,
 * pass / fail / warn, the failing rows sampled, and what ran or was held back. Every value
 * from data or config is escaped; no scripts, no external resources.
 */
export function renderCheckReport(r: RunRecord): string {
  const checkNodes = r.nodes.filter((n) => n.checks?.length || n.kind === 'check');
  const all = checkNodes.flatMap((n) => n.checks ?? []);
  const count = (o: Outcome) => all.filter((c) => outcome(c) === o).length;
  const cards = [
    ['Rules', all.length],
    ['Passed', count('pass')],
    ['Failed', count('fail')],
    ['Warnings', count('warn')],
  ]
    .map(([k, v]) => `<div class="card">${esc(k)}<b>${esc(v)}</b></div>`)
    .join('');
  const sections = checkNodes.length ? checkNodes.map(checkSection).join('') : '<p>This pipeline has no check nodes.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Checks · ${esc(r.pipeline.name)} · ${esc(r.runId)}</title>
<style>${STYLE}</style></head>
<body><main>
<h1>Data quality checks: ${esc(r.pipeline.name)}</h1>
<p class="sub">Run <code>${esc(r.runId)}</code> ${statusBadge(r.status)}</p>
<div class="cards">${cards}</div>
${metaTable(r)}
${sections}
${nodesTable(r)}
${r.warnings?.length ? `<h2>Warnings</h2><ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
</main></body></html>
`;
}

/** Writes a rendered report (its bytes are the ones the audit entry hashed). */
export async function writeReportHtml(workspaceRoot: string, runId: string, html: string): Promise<string> {
  const path = reportPath(workspaceRoot, runId);
  await mkdir(reportsDir(workspaceRoot), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, html);
  await rename(tmp, path);
  return path;
}

/** Writes the report; with a redactor, of the record masked (the page is built from masked values, never masked as HTML). */
export async function writeCheckReport(workspaceRoot: string, record: RunRecord, redactor?: Redactor): Promise<string> {
  const path = reportPath(workspaceRoot, record.runId);
  await mkdir(reportsDir(workspaceRoot), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, renderCheckReport(redactor ? maskRunRecord(redactor, record) : record));
  await rename(tmp, path);
  return path;
}
