import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { WeirError } from '../../../shared/errors';
import type { RunRecord } from '../../../shared/run/record';
import type { PipelineLineage } from '../../../shared/lineage';
import type { LoadedPipeline } from '../pipeline/load';
import { maskRunRecord } from '../secrets/mask-run';
import type { Redactor } from '../secrets/redactor';
import { runRedactor } from '../context/run-secrets';
import type { Workspace } from '../workspace/workspace';
import type { Environment } from '../context';
import { hostname } from 'node:os';
import { appendAuditRecord } from './audit-log';
import { closeIntent, INTENT_FORMAT, recordIntent, type PublishIntent } from './publish-intent';
import type { GitInfo } from './git-info';
import { lineageConfig, type EnvLookup } from './lineage/config';
import { finishEvent, startEvent } from './lineage/events';
import { emitLineageEvent } from './lineage/transport';
import { renderCheckReport, reportPath, writeReportHtml } from './report/check-report';
import { runsDirAt } from './runs-dir';
import { runRecordText } from './run-file';
import { syncAuditLake } from './anchor/open-lake';
import type { AnchorRepo } from './anchor/git-anchor';
import type { AnchorWriter } from './anchor/anchor-writer';
import { publishReleaseTable } from './signatures/release-table';

/**
 * What a run leaves behind besides its outputs, in the order run-pipeline calls it:
 * an OpenLineage START before it runs; COMPLETE / FAIL / ABORT once its record is built
 * (a lineage problem becomes a warning in the record); then, with the record written,
 * the audit log entry and the HTML check report. Everything it writes or sends is masked
 * with the run's secret registry: `finish` masks the record itself, in place, so the run
 * file written after it, the audit entry (hashed as masked) and the report all agree.
 */
export interface RunTrail {
  start(): Promise<void>;
  /** Just before the publish phase's first commit: the intent entry (throws: publish nothing). */
  intend(intent: PublishIntent): Promise<void>;
  /** OpenLineage events are sent: the run should hand `finish` its column graph. */
  readonly wantsColumnLineage: boolean;
  finish(record: RunRecord, lineage?: PipelineLineage | null): Promise<void>;
  /**
   * The audit entry, covering the run file and the report by their hashes, then the report.
   * Returns the run file's text: the caller writes exactly those bytes. `anchor: false` (a lot
   * that another lot of the same run follows): the git anchor and the lake mirror wait for the
   * last lot's entry, whose head vouches for this one; a function is asked as the entry is
   * appended, under the log's lock (lots that run at once finish in any order).
   */
  persist(record: RunRecord, o?: { anchor?: boolean | (() => boolean) }): Promise<{ auditSeq: number; reportPath: string; runFileText: string }>;
}

const sha256Text = (text: string) => createHash('sha256').update(text).digest('hex');

export function openRunTrail(args: {
  runId: string;
  loaded: LoadedPipeline;
  workspace: Workspace;
  environment: string;
  params: Record<string, unknown>;
  /** The pipeline file's git state, taken once before the run (the run record carries the same). */
  git: GitInfo;
  /** The run's lookup (the request's, then the engine context's): OpenLineage is configured through it. */
  env: EnvLookup;
  /** The run's secret registry; by default one made from `env`. */
  redactor?: Redactor;
  /** The engine context's clock and its audit lock wait (settings.auditLockWaitMs). */
  now: () => Date;
  lockWaitMs: number;
  /** The environment git runs with for the audit trail's git anchor (the engine context's processEnv). */
  gitEnv: Environment;
  /** The workspace's repository for the git anchor, asked as the run started (anchor/git-anchor.ts). */
  repo?: Promise<AnchorRepo>;
  /** The git started with the run that writes its anchor (anchor/anchor-writer.ts). */
  anchorWriter?: AnchorWriter;
}): RunTrail {
  const env = args.env;
  const redactor = args.redactor ?? runRedactor(env);
  const append = { lockWaitMs: args.lockWaitMs, env: args.gitEnv, ...(args.repo ? { repo: args.repo } : {}), ...(args.anchorWriter ? { anchorWriter: args.anchorWriter } : {}) };
  const lineage = lineageConfig(env, args.workspace.root);
  // The endpoint may carry `?api_key=` or user info: its values are secrets like any other.
  redactor.remember(lineage?.url);
  redactor.remember(lineage?.apiKey);
  const warnings: string[] = [];
  return {
    wantsColumnLineage: lineage !== null,
    async start() {
      if (!lineage) return;
      const identity = {
        runId: args.runId,
        pipelineName: args.loaded.pipeline.name,
        pipelineFile: relative(args.workspace.root, args.loaded.path).replace(/\\/g, '/'),
        pipelineSha256: args.loaded.sha256,
        gitCommit: args.git.commit,
        environment: args.environment,
        params: args.params,
      };
      warnings.push(...(await emitLineageEvent(lineage, startEvent(identity, lineage.namespace, args.now()), redactor)));
    },
    async intend(intent) {
      await recordIntent(args.workspace.root, {
        format: INTENT_FORMAT,
        version: 1,
        runId: args.runId,
        pipeline: { name: args.loaded.pipeline.name, file: relative(args.workspace.root, args.loaded.path).replace(/\\/g, '/') },
        environment: args.environment,
        mode: intent.mode,
        sinks: intent.sinks.map((x) => ({ ...x, target: redactor.mask(x.target) })),
        host: hostname(),
        pid: process.pid,
        at: args.now().toISOString(),
      }, append);
    },
    async finish(record, columns) {
      Object.assign(record, maskRunRecord(redactor, record));
      if (lineage) warnings.push(...(await emitLineageEvent(lineage, finishEvent(record, lineage.namespace, columns ?? null), redactor)));
      if (warnings.length) record.warnings = [...(record.warnings ?? []), ...warnings.map((w) => redactor.mask(w))];
    },
    async persist(unmasked, o = {}) {
      // Masked again in case the record changed since finish: the entry is hashed as written.
      const record = maskRunRecord(redactor, unmasked);
      const root = args.workspace.root;
      const runFileText = runRecordText(record);
      const reportHtml = renderCheckReport(record);
      const rel = (path: string) => relative(root, path).split(sep).join('/');
      const files = [
        { path: rel(join(runsDirAt(root), `${record.runId}.json`)), sha256: sha256Text(runFileText) },
        { path: rel(reportPath(root, record.runId)), sha256: sha256Text(reportHtml) },
      ];
      // Asked under the log's lock (audit-log.ts); the lake mirror below follows the same answer.
      let anchored = false;
      const anchorAsked = () => (anchored = typeof o.anchor === 'function' ? o.anchor() : o.anchor !== false);
      let entry;
      try {
        entry = await appendAuditRecord(root, record, { ...append, files, anchor: anchorAsked });
      } catch (e) {
        if (e instanceof WeirError) throw e;
        // A run that is not in the audit trail is a data-integrity deviation: say so plainly.
        throw new WeirError('internal', `run ${record.runId} ${record.status} but was not appended to the audit log in ${args.workspace.root}: ${redactor.mask((e as Error).message)}`);
      }
      await closeIntent(args.workspace.root, record.runId);
      const written = await writeReportHtml(root, record.runId, reportHtml);
      // The lake mirror follows the log; when it cannot (store down, conditions not enforced),
      // the run stands: `weir audit verify --anchor` names what is not mirrored, and the next
      // run mirrors everything pending.
      if (anchored) {
        await syncAuditLake(args.workspace, env).catch(() => 0);
        // So is the release-state table (a new lot shows as pending); `weir release publish` retries.
        // A partitioned run's lots: once, with the last lot's entry (it shows every lot of the run).
        await publishReleaseTable(args.workspace, env).catch(() => null);
      }
      return { auditSeq: entry.seq, reportPath: written, runFileText };
    },
  };
}
