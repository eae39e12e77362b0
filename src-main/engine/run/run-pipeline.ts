import { dirname } from 'node:path';
import type { RunEvent } from '../../../shared/run/events';
import type { RunRecord } from '../../../shared/run/record';
import type { WeirError } from '../../../shared/errors';
import { loadPipelineFile, type LoadedPipeline } from '../pipeline/load';
import { findWorkspace, type SecretLookup, type Workspace } from '../workspace/workspace';
import { NodeCache } from '../cache/node-cache';
import { fileHashMemoPath, nodeCacheDir } from '../cache/cache-paths';
import { loadFileHashMemo, saveFileHashMemo } from '../storage/file-hash';
import { executePlan } from './executor';
import { resolveParams } from './params';
import { planPipeline } from './plan';
import { newRunId } from './run-id';
import { buildRunRecord, runsDir, writeRunRecord } from './run-record';
import { openRunTrail } from '../audit/run-trail';
import { gitInfo } from '../audit/git-info';
import type { Redactor } from '../secrets/redactor';
import { runSecrets } from '../secrets/run-secrets';

export interface RunRequest {
  file: string;
  params?: Record<string, string | number | boolean>;
  select?: string | null;
  environment?: string;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
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
  /** Hook for the audit log and lineage emitters: called with every finished record. */
  onRecord?: (record: RunRecord, ctx: { workspace: Workspace; loaded: LoadedPipeline }) => Promise<void>;
}

export interface RunOutcome {
  runId: string;
  status: RunRecord['status'];
  record: RunRecord;
  recordPath: string | null;
  error: WeirError | null;
}

/**
 * The workspace a pipeline file runs in: the nearest weir.workspace.json above it, or its own
 * folder when there is none. Its `runsDir` is where the run record goes; the designer's
 * History (src-main/api/runs.ts) looks there through this same function.
 */
export function pipelineWorkspace(file: string): Workspace {
  return findWorkspace(dirname(file));
}

/** Load, validate, plan, execute, record: what `weir run`, the desktop and the server all call. */
export async function runPipelineFile(req: RunRequest): Promise<RunOutcome> {
  // Every value the run resolves is remembered; events, record, audit and errors are masked with it.
  const masking = runSecrets(req);
  const loaded = await loadPipelineFile(req.file);
  const workspace = pipelineWorkspace(loaded.path);
  // The file's git state as the run starts, asked once (it never rejects) for both the
  // lineage START and the record, while the plan is made.
  const gitAsked = gitInfo(loaded.path);
  const environment = req.environment ?? workspace.file.default_environment;
  const params = resolveParams(loaded.pipeline.params, req.params ?? {});
  const runId = newRunId();
  const plan = planPipeline(loaded.pipeline, workspace, runId, req.select);
  const memo = fileHashMemoPath(workspace);
  await loadFileHashMemo(memo);
  const git = await gitAsked;
  // OpenLineage events, the audit log entry and the check report (src-main/engine/audit).
  const trail = openRunTrail({ runId, loaded, workspace, environment, params, git, env: (n) => req.secrets?.(n) ?? process.env[n], redactor: masking.redactor });
  await trail.start();
  const result = await executePlan({
    cache: req.useCache === false ? null : new NodeCache(nodeCacheDir(workspace)),
    plan,
    runId,
    environment,
    params,
    signal: req.signal,
    onEvent: masking.onEvent,
    secrets: masking.lookup,
    concurrency: req.concurrency,
    hashViews: req.hashViews,
  });
  await saveFileHashMemo(memo).catch(() => {});
  const record = buildRunRecord({ runId, loaded, workspace, environment, params, selection: req.select ?? null, result, git });
  await trail.finish(record);
  const dir = req.recordDir === undefined ? runsDir(workspace) : req.recordDir;
  const recordPath = dir ? await writeRunRecord(dir, record) : null;
  // `--no-record` (recordDir null) leaves no trace at all: no audit entry, no report.
  if (dir) await trail.persist(record);
  if (req.onRecord) await req.onRecord(record, { workspace, loaded });
  masking.onEvent?.({ type: 'run_finished', runId, status: record.status, durationMs: record.durationMs, recordPath, at: record.finishedAt });
  return { runId, status: record.status, record, recordPath, error: result.error && masking.redactor.maskError(result.error) };
}
