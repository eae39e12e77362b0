import { WeirError } from '../../../shared/errors';
import type { RunRecord } from '../../../shared/run/record';
import { maskRunRecord } from '../secrets/mask-run';
import type { Redactor } from '../secrets/redactor';
import { readAuditEntries, type AuditEntry } from './audit-log';

/** The entry of a run, by full run id or an unambiguous prefix of one. */
export async function findAuditEntry(workspaceRoot: string, runId: string): Promise<AuditEntry> {
  const all = await readAuditEntries(workspaceRoot);
  // A run has one run record entry; its publish intent (and a reconciliation) share its id.
  const records = all.filter(isRunRecordEntry);
  const exact = records.filter((e) => e.runId === runId);
  let matches = exact.length ? exact : records.filter((e) => e.runId.startsWith(runId));
  if (!matches.length) {
    // A run that died while publishing left only its intent: show the last entry about it.
    const about = all.filter((e) => e.runId === runId);
    matches = about.length ? [about[about.length - 1]!] : [];
  }
  if (matches.length === 1) return matches[0]!;
  if (!matches.length) throw new WeirError('usage', `no run "${runId}" in the audit log of ${workspaceRoot}`);
  throw new WeirError('usage', `"${runId}" matches ${matches.length} runs (${matches.slice(0, 3).map((e) => e.runId).join(', ')}…): give more of the run id`);
}

/**
 * An entry as it may be shown: its record masked (entries written before masking existed may
 * hold a secret in clear); the chain fields are hashes and stay as they are.
 */
export function maskedEntry(e: AuditEntry, redactor: Redactor): AuditEntry {
  if (!isRunRecordEntry(e)) return { ...e, record: JSON.parse(redactor.mask(JSON.stringify(e.record))) as RunRecord };
  return { ...e, record: maskRunRecord(redactor, e.record) };
}

function fmtParams(p: RunRecord['params']): string {
  const entries = Object.entries(p);
  return entries.length ? entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ') : 'none';
}

/** Whether an entry holds a run record (the outcome of a run), not a publish-phase entry. */
export function isRunRecordEntry(e: AuditEntry): boolean {
  return (e.record as { format?: unknown }).format === 'weir.run';
}

/** A publish intent or a reconciliation, as one paragraph. */
function formatPublishEntry(e: AuditEntry): string {
  const r = e.record as unknown as { format: string; sinks?: { node: string; target: string; published?: unknown; how?: string }[]; at?: string; reconciledBy?: string };
  const head =
    r.format === 'weir.publish_reconciled'
      ? `run ${e.runId}  (audit seq ${e.seq}): died while publishing; reconciled by run ${r.reconciledBy ?? '?'} at ${r.at ?? '?'}`
      : `run ${e.runId}  (audit seq ${e.seq}): intent to publish, recorded at ${r.at ?? '?'}, with no outcome after it`;
  const sinks = (r.sinks ?? []).map((x) => `  ${x.node}  ${x.target}${x.published === undefined ? '' : `  published: ${String(x.published)} (${x.how ?? ''})`}`);
  return [head, ...sinks].join('\n');
}

/** A run record as a person reads it in a terminal; `--json` gives the record itself. */
export function formatRunRecord(e: AuditEntry): string {
  if (!isRunRecordEntry(e)) return formatPublishEntry(e);
  const r = e.record;
  const lines = [
    `run ${r.runId}  (audit seq ${e.seq}, hash ${e.hash.slice(0, 16)}…)`,
    `status     ${r.status}`,
    `pipeline   ${r.pipeline.name}  ${r.pipeline.file}`,
    `file hash  sha256 ${r.pipeline.sha256}`,
    `git        ${r.pipeline.gitCommit ? `${r.pipeline.gitCommit}${r.pipeline.gitDirty ? ' (file had uncommitted changes)' : ''}` : 'not in a git repository'}`,
    `who        ${r.user} @ ${r.host}`,
    `when       ${r.startedAt} → ${r.finishedAt} (${r.durationMs} ms)`,
    `env        ${r.environment}   params: ${fmtParams(r.params)}${r.selection ? `   selection: ${r.selection}` : ''}`,
    `versions   weir ${r.weirVersion}, duckdb ${r.duckdbVersion}`,
    '',
    'nodes:',
  ];
  const width = Math.max(4, ...r.nodes.map((n) => n.name.length));
  for (const n of r.nodes) {
    const rows = n.rows === null ? '' : `${n.rows} rows`;
    lines.push(`  ${n.name.padEnd(width)}  ${n.kind.padEnd(12)} ${n.status.padEnd(9)} ${rows.padEnd(12)} ${n.outputHash ? n.outputHash.slice(0, 16) : ''}${n.error ? `  ${n.error}` : ''}`);
    for (const i of n.inputs ?? []) lines.push(`      in   ${i.uri}  ${i.versionId ?? i.etag ?? (i.sha256 ? `sha256 ${i.sha256}` : '')}`);
    for (const o of n.outputs ?? []) lines.push(`      out  ${o.uri}${o.sha256 ? `  sha256 ${o.sha256}` : ''}`);
    for (const c of n.checks ?? []) {
      const mark = c.passed ? 'pass' : c.severity === 'error' ? 'FAIL' : 'warn';
      lines.push(`      ${mark.padEnd(4)} ${c.rule}: ${c.message ?? `${c.failingRows} failing rows`}`);
      for (const row of c.passed ? [] : c.sample) lines.push(`             ${JSON.stringify(row)}`);
    }
  }
  if (r.warnings?.length) lines.push('', 'warnings:', ...r.warnings.map((w) => `  ${w}`));
  return lines.join('\n');
}
