import { WeirError } from '../../../shared/errors';
import type { ReconciledEntry, PublishIntentEntry } from '../../../shared/run/publish-entries';
import type { RunRecord } from '../../../shared/run/record';
import { readRunAuditTrail, type StoredAuditEntry } from './run-store';
import { maskRunRecord } from '../secrets/mask-run';
import type { Redactor } from '../secrets/redactor';

export type { StoredAuditEntry };

/**
 * The entry that shows a run, by full run id or an unambiguous prefix of one: its run record,
 * or, for a run that died while publishing, the last entry about it (its reconciliation, else
 * its intent).
 */
export async function findAuditEntry(workspaceRoot: string, runId: string): Promise<StoredAuditEntry> {
  const trail = await readRunAuditTrail(workspaceRoot, runId);
  const entry = trail && (trail.record ?? trail.entries[trail.entries.length - 1]);
  if (!entry) throw new WeirError('usage', `no run "${runId}" in the audit log of ${workspaceRoot}`);
  return entry;
}

/**
 * An entry as it may be shown: its payload masked, as stored and as read (entries written
 * before masking existed may hold a secret in clear); the chain fields are hashes and stay as
 * they are.
 */
export function maskedEntry(e: StoredAuditEntry, redactor: Redactor): StoredAuditEntry {
  const whole = <T>(v: T): T => JSON.parse(redactor.mask(JSON.stringify(v))) as T;
  const p = e.payload;
  const payload: StoredAuditEntry['payload'] =
    p.kind === 'run'
      ? { ...p, record: maskRunRecord(redactor, p.record) }
      : p.kind === 'intent'
        ? { ...p, intent: whole(p.intent) }
        : p.kind === 'reconciled'
          ? { ...p, reconciled: whole(p.reconciled) }
          : p.kind === 'signature' || p.kind === 'state'
            ? { ...p, payload: whole(p.payload) }
            : { ...p, reason: redactor.mask(p.reason) };
  if (e.entry.record === undefined) return { ...e, entry: { ...e.entry, ...(e.entry.payload ? { payload: whole(e.entry.payload) } : {}) }, payload };
  const record = p.kind === 'run' ? maskRunRecord(redactor, e.entry.record as RunRecord) : whole(e.entry.record);
  return { ...e, entry: { ...e.entry, record }, payload };
}

function fmtParams(p: RunRecord['params']): string {
  const entries = Object.entries(p);
  return entries.length ? entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ') : 'none';
}

/** A publish intent or a reconciliation, as one paragraph. */
function formatPublishEntry(e: StoredAuditEntry, p: PublishIntentEntry | ReconciledEntry): string {
  const head =
    p.format === 'weir.publish_reconciled'
      ? `run ${e.entry.runId}  (audit seq ${e.entry.seq}): died while publishing; reconciled by run ${p.reconciledBy} at ${p.at}`
      : `run ${e.entry.runId}  (audit seq ${e.entry.seq}): intent to publish, recorded at ${p.at}, with no outcome after it`;
  const sinks = p.sinks.map((x) => `  ${x.node}  ${x.target}${'published' in x ? `  published: ${String(x.published)} (${x.how})` : ''}`);
  return [head, ...sinks].join('\n');
}

/** A run record as a person reads it in a terminal; `--json` gives the record itself. */
export function formatRunRecord(e: StoredAuditEntry): string {
  const p = e.payload;
  if (p.kind === 'intent') return formatPublishEntry(e, p.intent);
  if (p.kind === 'reconciled') return formatPublishEntry(e, p.reconciled);
  if (p.kind === 'signature' || p.kind === 'state') return `run ${e.entry.runId}  (audit seq ${e.entry.seq}): ${p.kind} entry\n${JSON.stringify(p.payload, null, 2)}`;
  if (p.kind === 'unreadable') return `run ${e.entry.runId}  (audit seq ${e.entry.seq}): its entry cannot be read: ${p.reason}`;
  const r = p.record;
  const lines = [
    `run ${r.runId}  (audit seq ${e.entry.seq}, hash ${e.entry.hash.slice(0, 16)}…)`,
    ...(p.migratedFrom === null ? [] : [`stored     as run record version ${p.migratedFrom}, shown migrated to version ${r.version}`]),
    `status     ${r.status}`,
    `pipeline   ${r.pipeline.name}  ${r.pipeline.file}`,
    `file hash  sha256 ${r.pipeline.sha256}`,
    `git        ${r.pipeline.gitCommit ? `${r.pipeline.gitCommit}${r.pipeline.gitDirty ? ' (file had uncommitted changes)' : ''}` : 'not in a git repository'}`,
    `who        ${r.user} @ ${r.host}${r.userHint ? `  (WEIR_USER: ${r.userHint})` : ''}`,
    ...(r.reason ? [`reason     ${r.reason}`] : []),
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
