import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEvent } from '../../../shared/run/events';
import type { RunRecord } from '../../../shared/run/record';
import { WeirError } from '../../../shared/errors';
import type { EngineContext } from '../context';
import { loadPipelineFile, type LoadedPipeline } from '../pipeline/load';
import { pipelineWorkspace, type SecretLookup, type Workspace } from '../workspace/workspace';
import { NodeCache } from '../cache/node-cache';
import { fileHashMemoPath, nodeCacheDir } from '../cache/cache-paths';
import { loadFileHashMemo, saveFileHashMemo } from '../storage/file-hash';
import { executePlan } from './executor';
import { resolveParams } from './params';
import { planPipeline } from './plan';
import { newRunId } from './run-id';
import { buildRunRecord, runsDir, writeRunRecord } from './run-record';
import { openRunTrail } from '../audit/run-trail';
import { gitInfo, type GitInfo } from '../audit/git-info';
import { anchorRepo, type AnchorRepo } from '../audit/anchor/git-anchor';
import { startAnchorWriter, type AnchorWriter } from '../audit/anchor/anchor-writer';
import { assertRunReason } from '../audit/signatures/run-reason';
import { reconcileOpenIntents } from '../audit/publish-intent';
import { assertTrailContinues } from '../audit/audit-log';
import { cleanLitter } from '../gc/clean-litter';
import { liveDir, writeRunMarker } from '../gc/live-runs';
import { assertPreflight, preflightChecks, type PreflightCheck } from './preflight';
import { sandboxPaths } from './preflight-sandbox';
import type { GuardMemo } from './plan-guard';
import type { Redactor } from '../secrets/redactor';
import { runSecrets } from '../context/run-secrets';
import { SourceStates } from './source-state';

export interface RunRequest {
  file: string;
  params?: Record<string, string | number | boolean>;
  select?: string | null;
  environment?: string;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
  /** Looked up before the engine context's `env` (a one-off value); the shells give none. */
  secrets?: SecretLookup;
  /** The run's secret registry (src-main/engine/secrets); made from `secrets` when absent. */
  redactor?: Redactor;
  /** Where run records go; null writes none. Defaults to `<workspace>/.weir/runs`. */
  recordDir?: string | null;
  concurrency?: number;
  /** False bypasses the node result cache (`weir run --no-cache`). */
  useCache?: boolean;
  /** Hash views' rows too (`weir run --hash-views`): each view is computed once more. */
  hashViews?: boolean;
  /**
   * Count views' rows (`weir run --count-views`; the designer's runs do, for the cards): each
   * view is computed once more. Without it a view records no row count.
   */
  countViews?: boolean;
  /** Hash intermediate tables' rows too (`weir run --hash-tables`). */
  hashTables?: boolean;
  /** `partial` lets healthy branches publish when another failed; default: the pipeline's `publish`, else `all`. */
  publish?: 'all' | 'partial';
  /** The shell's way to keep the process alive until publishing settles (the CLI's second Ctrl-C waits). */
  holdExit?: <T>(work: Promise<T>) => Promise<T>;
  /** Why the run is made (`weir run --reason`), recorded in its run record; signers.json may require one. */
  reason?: string;
  /** Hook for the audit log and lineage emitters: called with every finished record. */
  onRecord?: (record: RunRecord, ctx: { workspace: Workspace; loaded: LoadedPipeline }) => Promise<void>;
  /** Which lots of a partitioned pipeline to run. */
  lots?: LotSelection;
  /** How many lots of a partitioned pipeline run at once in this process (`weir run --lot-concurrency`; lots/run-lots.ts has the default). */
  lotConcurrency?: number;
}

export interface RunOutcome {
  runId: string;
  status: RunRecord['status'];
  record: RunRecord;
  recordPath: string | null;
  error: WeirError | null;
  /** A partitioned pipeline's run (docs/lots.md): every lot it ran, each its own run with its own record. */
  lots?: LotOutcome[];
  /** Why a partitioned run ran no lot, in words ("every lot is up to date", "the sources list no lot by batch_id"). */
  nothingToRun?: string;
}

/** One lot of a partitioned run. */
export interface LotOutcome {
  key: string;
  fingerprint: string;
  outcome: RunRecord['status'];
  runId: string;
  recordPath: string | null;
  /** The inputs the lot's run read (every source node's, from its record). */
  inputs: string[];
  error: string | null;
}

/** How a partitioned pipeline picks its lots (ignored for a pipeline without `partitions`). */
export interface LotSelection {
  /** `changed` (default): new, changed and failed lots; `all`; or the listed values. */
  partitions?: 'changed' | 'all' | string[];
  /** `--shard I/N`: only the lots `shardOf(value, N) === I`. */
  shard?: { index: number; count: number };
}

/** One lot's run: the partition key and the lot's value (the pipeline given is already made for the lot: lot-pipeline.ts). */
export interface LotRun {
  key: string;
  value: string;
}

/**
 * What the lots of one partitioned `weir run` share (lots/run-lots.ts), made once before the
 * first lot: the secret registry, the file's git state, the sandbox's verdicts. With it a lot's
 * run skips what is the same for every lot: the full preflight (only the lot's own paths are
 * checked again: they are the only fields a lot changes), the audit trail's start checks and
 * the litter sweep (the caller made them once), and the file-hash memo's load and save.
 */
export interface SharedLotRun {
  masking: ReturnType<typeof runSecrets>;
  git: Promise<GitInfo>;
  /** The workspace's repository for the audit anchor (or null), asked once for the run. */
  repo?: Promise<AnchorRepo>;
  /** The git that writes the run's anchor, started once for the run (the last lot's entry anchors). */
  anchorWriter?: AnchorWriter;
  guardMemo: GuardMemo;
  /**
   * Asked under the audit log's lock as a lot's entry is appended: false while another lot of the
   * run is still to append, so its entry moves no anchor (the last appended one's does).
   */
  anchor: () => boolean;
}

/** The part of the preflight that differs between the lots of one pipeline: the paths a lot reads and writes. */
const LOT_CHECKS: readonly PreflightCheck[] = [sandboxPaths];

/** A cancel before the run started its work: nothing to record (no node ran, nothing published). */
function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new WeirError('cancelled', 'the run was cancelled before it started');
}

/** Load, validate, plan, execute, record: what `weir run`, the desktop and the server all call (through the front door, index.ts). */
export async function runPipelineFile(engine: EngineContext, req: RunRequest): Promise<RunOutcome> {
  return runLoaded(engine, req, await loadPipelineFile(req.file));
}

/** One run of a loaded pipeline (or of one lot of a partitioned one: `lot`). */
export async function runLoaded(engine: EngineContext, req: RunRequest, loaded: LoadedPipeline, lot?: LotRun, shared?: SharedLotRun): Promise<RunOutcome> {
  // Every value the run resolves is remembered; events, record, audit and errors are masked with it.
  // A partitioned pipeline runs lot by lot (lots/run-lots.ts: the front door's run goes there).
  if (loaded.pipeline.partitions && !lot) throw new WeirError('usage', `${req.file}: a partitioned pipeline runs lot by lot (weir run, docs/lots.md)`);
  const masking = shared?.masking ?? runSecrets(req, engine);
  const workspace = pipelineWorkspace(loaded.path);
  // The file's git state as the run starts, asked once (it never rejects) for both the
  // lineage START and the record, while the plan is made.
  const gitAsked = shared?.git ?? gitInfo(engine.processEnv, loaded.path);
  // validate's checks (parameters, environment, connections, the sandbox's SQL and paths), before
  // anything is read or written: a refusal is a usage error or an invalid file (exit 2).
  // The sandbox's verdicts are kept for the plan's own check in the session (executor.ts).
  const guardMemo: GuardMemo = shared?.guardMemo ?? new Map();
  await assertPreflight(engine, loaded, workspace, { environment: req.environment, params: req.params, guardMemo }, req.file, shared ? LOT_CHECKS : preflightChecks);
  const environment = req.environment ?? workspace.file.default_environment;
  await assertRunReason(workspace, environment, req.reason);
  const params = resolveParams(loaded.pipeline.params, req.params ?? {});
  const runId = newRunId(engine.now());
  const plan = planPipeline(loaded.pipeline, workspace, runId, req.select, loaded.path, lot && { key: lot.key, value: lot.value });
  const dir = req.recordDir === undefined ? runsDir(workspace) : req.recordDir;
  // The audit anchor's repository, asked now: asked at the end, git would be forked from a
  // process holding the run's catalog (about 80 ms per GiB; bench figure 1). Never rejects.
  const repoAsked = shared?.repo ?? (dir ? anchorRepo(engine.processEnv, workspace.root).catch(() => null) : Promise.resolve(null));
  throwIfCancelled(req.signal);
  // Runs that died while publishing get their outcome written down before this one publishes.
  // A deleted or truncated trail is tampering, not a fresh start: nothing runs until it is looked at.
  if (shared) {
    // The lot's own marker (its staged files carry its run id); the sweep ran once for the run.
    await writeRunMarker(workspace.root, runId).catch(() => {});
  } else {
    if (dir) await assertTrailContinues(workspace.root, engine.processEnv, repoAsked);
    if (dir) await reconcileOpenIntents(workspace.root, runId, { lockWaitMs: engine.settings.auditLockWaitMs, env: engine.processEnv, now: engine.now });
    // Leaves this run's marker, then removes what dead runs left here (gc/clean-litter.ts); never fails the run.
    await cleanLitter(engine, workspace, runId);
  }
  // So is the anchor's own write: the git that makes the commit is started before the first node
  // and fed at the end (anchor/anchor-writer.ts); a lot's run shares the run's.
  const ownWriter = !shared && dir ? startAnchorWriter(engine.processEnv, workspace.root, repoAsked) : null;
  const anchorWriter = shared?.anchorWriter ?? ownWriter ?? undefined;
  try {
    const memo = fileHashMemoPath(workspace);
    if (!shared) await loadFileHashMemo(memo);
    const git = await gitAsked;
    await anchorWriter?.ready;
    // OpenLineage events, the audit log entry and the check report (src-main/engine/audit).
    const trail = openRunTrail({
      runId,
      loaded,
      workspace,
      environment,
      params,
      git,
      env: masking.lookup,
      redactor: masking.redactor,
      now: engine.now,
      lockWaitMs: engine.settings.auditLockWaitMs,
      gitEnv: engine.processEnv,
      repo: repoAsked,
      ...(anchorWriter ? { anchorWriter } : {}),
    });
    await trail.start();
    // A run of part of the pipeline (--select) reads from the kept values but keeps none: what it
    // read has not reached every sink.
    const states = new SourceStates(SourceStates.dirFor(workspace, environment, loaded.path), Boolean(req.select));
    const result = await executePlan({
      engine,
      cache: req.useCache === false ? null : new NodeCache(nodeCacheDir(workspace, engine.settings)),
      plan,
      runId,
      environment,
      params,
      signal: req.signal,
      onEvent: masking.onEvent,
      secrets: masking.lookup,
      concurrency: req.concurrency,
      hashViews: req.hashViews,
      countViews: req.countViews,
      hashTables: req.hashTables,
      publishMode: req.publish ?? loaded.pipeline.publish ?? 'all',
      holdExit: req.holdExit,
      // Without a record (`--no-record`) there is no audit trail to write the intent to.
      beforePublish: dir ? (intent) => trail.intend(intent) : undefined,
      columnLineage: trail.wantsColumnLineage,
      states,
      guardMemo,
    });
    if (!shared) await saveFileHashMemo(memo).catch(() => {});
    const record = buildRunRecord({ runId, loaded, workspace, environment, params, selection: req.select ?? null, result, git, user: engine.settings.user, userHint: engine.settings.userHint, reason: req.reason?.trim() || null, ...(lot ? { lot } : {}) });
    await trail.finish(record, result.lineage);
    // `--no-record` (recordDir null) leaves no trace at all: no audit entry, no report.
    let recordPath: string | null = null;
    let error = result.error;
    if (dir) {
      // The audit entry first: a run record file always has its entry. A record the trail
      // refused goes apart (unaudited/), so that verify does not take it for a deleted entry.
      try {
        const { runFileText } = await trail.persist(record, { anchor: shared ? shared.anchor : true });
        recordPath = await writeRunRecord(dir, record, runFileText);
      } catch (e) {
        recordPath = await writeRunRecord(join(dir, 'unaudited'), record);
        // The run's own failure (often the same cause: "nothing was published: ...") says more.
        error ??= e instanceof WeirError ? e : new WeirError('internal', (e as Error).message);
      }
    }
    // Watermarks advance only after a run that succeeded whole and is on record (at-least-once:
    // a run that dies after publishing reads the same records again next time).
    if (dir && !error && record.status === 'succeeded' && states.pending) {
      try {
        await states.commit(runId, engine.now());
      } catch (e) {
        error = new WeirError('internal', `the run published, but its sources' watermarks were not kept (the next run reads the same records again): ${(e as Error).message}`);
      }
    }
    if (req.onRecord) await req.onRecord(record, { workspace, loaded });
    masking.onEvent?.({ type: 'run_finished', runId, status: record.status, durationMs: record.durationMs, recordPath, at: record.finishedAt });
    return { runId, status: error && record.status === 'succeeded' ? 'failed' : record.status, record, recordPath, error: error && masking.redactor.maskError(error) };
  } finally {
    // Its git, when no anchor was written (a run that failed before its record, an anchor left to the last lot).
    ownWriter?.close();
    // The run is over: its marker goes (a killed run's is judged by its process instead).
    await rm(join(liveDir(workspace.root), `${runId}.json`), { force: true }).catch(() => {});
  }
}
