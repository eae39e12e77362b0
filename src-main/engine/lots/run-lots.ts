import { hostname } from 'node:os';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { WeirError } from '../../../shared/errors';
import type { PartitionsListing, LotStateName } from '../../../shared/api/lots-schemas';
import { pipelineForLot } from '../../../shared/pipeline/lot-pipeline';
import { lotSources } from '../../../shared/pipeline/lot-sources';
import { shardOf, type PartitionsSpec } from '../../../shared/pipeline/partitions';
import type { RunRecord } from '../../../shared/run/record';
import type { EngineContext } from '../context';
import { runSecrets } from '../context/run-secrets';
import { WEIR_VERSION } from '../context/version';
import { duckdbVersion } from '../duckdb/instance';
import { loadPipelineFile, type LoadedPipeline } from '../pipeline/load';
import { resolveParams, type ParamValue } from '../run/params';
import { newRunId } from '../run/run-id';
import { runLoaded, type LotOutcome, type LotSelection, type RunOutcome, type RunRequest, type SharedLotRun } from '../run/run-pipeline';
import { assertPreflight } from '../run/preflight';
import type { GuardMemo } from '../run/plan-guard';
import { runsDir } from '../run/run-record';
import { assertTrailContinues } from '../audit/audit-log';
import { reconcileOpenIntents } from '../audit/publish-intent';
import { gitInfo } from '../audit/git-info';
import { anchorRepo } from '../audit/anchor/git-anchor';
import { startAnchorWriter, type AnchorWriter } from '../audit/anchor/anchor-writer';
import { cleanLitter } from '../gc/clean-litter';
import { liveDir } from '../gc/live-runs';
import { fileHashMemoPath } from '../cache/cache-paths';
import { loadFileHashMemo, saveFileHashMemo } from '../storage/file-hash';
import { pipelineWorkspace, type SecretLookup, type Workspace } from '../workspace/workspace';
import { withSourceReadsMemo } from '../sandbox/source-reads';
import { discoverLots, lotFingerprint, type DiscoveredLots } from './discover';
import { openLotStateStore, type LotState } from './state-store';

interface LotsView {
  spec: PartitionsSpec;
  workspace: Workspace;
  environment: string;
  params: Record<string, ParamValue>;
  found: DiscoveredLots;
  states: Map<string, LotState>;
  fingerprints: Map<string, string>;
}

/** A lot's state from its stored state and its fingerprint now. */
export function lotStateOf(state: LotState | undefined, fingerprint: string): LotStateName {
  const ok = state?.succeeded;
  const failed = state?.failed;
  if (failed && failed.fingerprint === fingerprint && (!ok || failed.at > ok.at)) return 'failed';
  if (!ok) return 'new';
  return ok.fingerprint === fingerprint ? 'up_to_date' : 'changed';
}

async function view(engine: EngineContext, loaded: LoadedPipeline, o: { environment?: string; params?: RunRequest['params']; secrets: SecretLookup; signal?: AbortSignal }) {
  const spec = loaded.pipeline.partitions;
  if (!spec) throw new WeirError('usage', `${loaded.path}: the pipeline is not partitioned (it has no top-level "partitions"; docs/lots.md)`);
  const workspace = pipelineWorkspace(loaded.path);
  const environment = o.environment ?? workspace.file.default_environment;
  const params = resolveParams(loaded.pipeline.params, o.params ?? {});
  const memo = fileHashMemoPath(workspace);
  await loadFileHashMemo(memo);
  const found = await discoverLots({ engine, pipeline: loaded.pipeline, spec, workspace, environment, secrets: o.secrets, signal: o.signal });
  await saveFileHashMemo(memo).catch(() => {});
  const fingerprints = new Map([...found.lots].map(([value, inputs]) => [value, lotFingerprint(loaded.pipeline, params, [...inputs, ...found.shared])]));
  const store = await openLotStateStore({ engine, pipeline: loaded.pipeline, pipelineFile: loaded.path, workspace, environment, secrets: o.secrets });
  return { v: { spec, workspace, environment, params, found, states: await store.readAll(), fingerprints } satisfies LotsView, store };
}

/** `weir partitions FILE`: every lot the sources show, with its state (docs/lots.md). */
export async function listPartitions(engine: EngineContext, req: { file: string; environment?: string; params?: RunRequest['params'] }): Promise<PartitionsListing> {
  const loaded = await loadPipelineFile(req.file);
  const { v, store } = await view(engine, loaded, { ...req, secrets: runSecrets({}, engine).lookup });
  store.close();
  return {
    pipeline: loaded.path,
    key: v.spec.key,
    sources: lotSources(loaded.pipeline, v.spec),
    partitions: [...v.fingerprints].map(([key, fingerprint]) => {
      const s = v.states.get(key);
      const state = lotStateOf(s, fingerprint);
      const last = state === 'failed' ? s?.failed : s?.succeeded;
      return { key, state, ...(last ? { runId: last.runId, at: last.at } : {}), fingerprint };
    }),
  };
}

function chooseLots(v: LotsView, sel: LotSelection | undefined): string[] {
  const all = [...v.fingerprints.keys()];
  const which = sel?.partitions ?? 'changed';
  let chosen: string[];
  if (which === 'all') chosen = all;
  else if (which === 'changed') chosen = all.filter((k) => lotStateOf(v.states.get(k), v.fingerprints.get(k)!) !== 'up_to_date');
  else {
    const unknown = which.filter((k) => !v.fingerprints.has(k));
    if (unknown.length) {
      const shown = all.slice(0, 10).join(', ') + (all.length > 10 ? `, ... (${all.length} in all)` : '');
      throw new WeirError('usage', `no lot ${unknown.map((k) => `"${k}"`).join(', ')} in the sources of this pipeline (lots: ${shown || 'none'})`);
    }
    chosen = [...new Set(which)];
  }
  const shard = sel?.shard;
  return shard ? chosen.filter((k) => shardOf(k, shard.count) === shard.index) : chosen;
}

/** Why no lot was chosen: none listed at all, every one up to date, or none of those asked for falls to this shard. */
function whyNoLot(v: LotsView, sel: LotSelection | undefined): string {
  if (!v.fingerprints.size) return `the sources list no lot by ${v.spec.key} (each lot is a folder or file their paths split by, or a value of the key column; docs/lots.md)`;
  if (sel?.shard) return `none of the lots of shard ${sel.shard.index}/${sel.shard.count} (each is up to date, or none falls to it)`;
  return 'every lot is up to date';
}

/** The outcome of a partitioned run that had no lot to run: nothing read, nothing published. */
function nothingToRun(engine: EngineContext, req: RunRequest, loaded: LoadedPipeline, v: LotsView): RunOutcome {
  const at = engine.now().toISOString();
  const runId = newRunId(engine.now());
  const record: RunRecord = {
    format: 'weir.run',
    version: 3,
    runId,
    pipeline: { name: loaded.pipeline.name, file: relative(v.workspace.root, loaded.path).replace(/\\/g, '/'), sha256: loaded.sha256, gitCommit: null, gitDirty: null },
    environment: v.environment,
    params: v.params,
    selection: null,
    startedAt: at,
    finishedAt: at,
    durationMs: 0,
    status: 'succeeded',
    user: engine.settings.user,
    ...(engine.settings.userHint ? { userHint: engine.settings.userHint } : {}),
    ...(req.reason ? { reason: req.reason } : {}),
    host: hostname(),
    weirVersion: WEIR_VERSION,
    duckdbVersion: duckdbVersion(),
    nodes: [],
  };
  return { runId, status: 'succeeded', record, recordPath: null, error: null, lots: [], nothingToRun: whyNoLot(v, req.lots) };
}

/**
 * A partitioned pipeline's run: its lots discovered, the ones asked for (by default those new,
 * changed or failed) each run as a run of their own (their own session, checks, all-or-nothing
 * publish, run record and audit entry) with the key set and the sources restricted to the lot's
 * inputs. A lot's state is written once its run is over: `succeeded` only when it fully
 * succeeded. A failing lot does not stop the others. Up to `req.lotConcurrency` lots (default
 * DEFAULT_LOT_CONCURRENCY) run at once, each in its own session.
 */
export async function runLots(engine: EngineContext, req: RunRequest, loaded: LoadedPipeline): Promise<RunOutcome> {
  if (req.select) throw new WeirError('usage', '--select cannot be combined with a partitioned pipeline: each lot runs whole');
  const width = lotConcurrency(req.lotConcurrency);
  return withSourceReadsMemo(() => runChosenLots(engine, req, loaded, width));
}

/** Lots run at once in one process by default (`weir run --lot-concurrency`; docs/lots.md "Speed" has the measurement). */
export const DEFAULT_LOT_CONCURRENCY = 2;
/** The most lots one process runs at once: each holds its own DuckDB session and staged outputs. */
export const MAX_LOT_CONCURRENCY = 16;

async function runChosenLots(engine: EngineContext, req: RunRequest, loaded: LoadedPipeline, width: number): Promise<RunOutcome> {
  const { lookup } = runSecrets(req, engine);
  const { v, store } = await view(engine, loaded, { environment: req.environment, params: req.params, secrets: lookup, signal: req.signal });
  let anchorWriter: AnchorWriter | undefined;
  try {
    const chosen = chooseLots(v, req.lots);
    if (!chosen.length) return nothingToRun(engine, req, loaded, v);
    const lotRequest = (value: string): RunRequest => ({ ...req, params: { ...(req.params ?? {}), [v.spec.key]: value } });
    const lotLoaded = (value: string): LoadedPipeline => ({ ...loaded, pipeline: pipelineForLot(loaded.pipeline, v.spec, value) });
    const shared = await beginLots(engine, req, lotLoaded(chosen[0]!), lotRequest(chosen[0]!), v.workspace, chosen.length);
    anchorWriter = shared.anchorWriter;
    const outs: (RunOutcome | undefined)[] = new Array(chosen.length);
    const lots: (LotOutcome | undefined)[] = new Array(chosen.length);
    const runOne = async (i: number) => {
      const value = chosen[i]!;
      const fingerprint = v.fingerprints.get(value)!;
      const out = await runLoaded(engine, lotRequest(value), lotLoaded(value), { key: v.spec.key, value }, shared);
      outs[i] = out;
      // Written after the lot's publish phase: a run killed before this line leaves the lot as it was.
      if (out.status !== 'cancelled') await store.record(value, out.status === 'succeeded' ? 'succeeded' : 'failed', { fingerprint, runId: out.runId, at: out.record.finishedAt });
      lots[i] = {
        key: value,
        fingerprint,
        outcome: out.status,
        runId: out.runId,
        recordPath: out.recordPath,
        inputs: out.record.nodes.flatMap((n) => (n.inputs ?? []).map((x) => x.uri)),
        error: out.error?.message ?? null,
      };
    };
    await inPool(chosen.length, width, runOne, () => req.signal?.aborted === true);
    const ran = lots.filter((l): l is LotOutcome => l !== undefined);
    const done = outs.filter((o): o is RunOutcome => o !== undefined);
    const base = done.find((o) => o.status !== 'succeeded') ?? done.at(-1) ?? nothingToRun(engine, req, loaded, v);
    const cancelled = req.signal?.aborted || ran.some((l) => l.outcome === 'cancelled');
    const failedLots = ran.filter((l) => l.outcome === 'failed');
    const status: RunRecord['status'] = cancelled ? 'cancelled' : failedLots.length ? 'failed' : 'succeeded';
    const error =
      status === 'failed'
        ? new WeirError('node', `${failedLots.length} of ${ran.length} lot(s) failed: ${failedLots.map((l) => `${l.key} (${l.error ?? 'failed'})`).join('; ')}`.slice(0, 2000))
        : status === 'cancelled'
          ? new WeirError('cancelled', 'the run was cancelled')
          : null;
    return { runId: base.runId, status, record: base.record, recordPath: base.recordPath, error, lots: ran };
  } finally {
    anchorWriter?.close();
    store.close();
    await saveFileHashMemo(fileHashMemoPath(v.workspace)).catch(() => {});
  }
}

function lotConcurrency(asked: number | undefined): number {
  if (asked === undefined) return DEFAULT_LOT_CONCURRENCY;
  if (!Number.isInteger(asked) || asked < 1 || asked > MAX_LOT_CONCURRENCY) throw new WeirError('usage', `lot concurrency must be a whole number from 1 to ${MAX_LOT_CONCURRENCY}, got ${asked}`);
  return asked;
}

/**
 * Runs `work(0..count-1)` with at most `width` at once, in order of their index; none starts
 * once `stop()` says so. The first error stops the starts too: the calls under way finish (each
 * lot's publish is all-or-nothing, so one is never left half done by another's error), then
 * that error is thrown.
 */
async function inPool(count: number, width: number, work: (i: number) => Promise<void>, stop: () => boolean): Promise<void> {
  let next = 0;
  let failure: { e: unknown } | null = null;
  const lane = async () => {
    while (!failure && next < count && !stop()) {
      const i = next++;
      try {
        await work(i);
      } catch (e) {
        failure ??= { e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
  if (failure) throw (failure as { e: unknown }).e;
}

/**
 * What every lot of the run shares, made once (run-pipeline.ts, SharedLotRun): the full preflight
 * on the first lot's pipeline (it fills the sandbox's verdicts; the lots differ only in their
 * paths, which each lot checks again), the audit trail's start checks, the reconciliation of
 * runs that died while publishing, and the sweep of dead runs' litter. Only the last lot's audit
 * entry to be appended moves the anchors (or the entry of a lot the run is cancelled in).
 */
async function beginLots(engine: EngineContext, req: RunRequest, first: LoadedPipeline, firstReq: RunRequest, workspace: Workspace, count: number) {
  const masking = runSecrets(req, engine);
  const guardMemo: GuardMemo = new Map();
  await assertPreflight(engine, first, workspace, { environment: req.environment, params: firstReq.params, guardMemo }, req.file);
  const dir = req.recordDir === undefined ? runsDir(workspace) : req.recordDir;
  const repo = dir ? anchorRepo(engine.processEnv, workspace.root).catch(() => null) : Promise.resolve(null);
  if (dir) await assertTrailContinues(workspace.root, engine.processEnv, repo);
  const sweepId = newRunId(engine.now());
  if (dir) await reconcileOpenIntents(workspace.root, sweepId, { lockWaitMs: engine.settings.auditLockWaitMs, env: engine.processEnv, now: engine.now });
  await cleanLitter(engine, workspace, sweepId);
  await rm(join(liveDir(workspace.root), `${sweepId}.json`), { force: true }).catch(() => {});
  // Called under the audit log's lock as a lot's entry is appended (lots may finish in any order):
  // the entry appended last, whose anchor names the head that vouches for all of them, anchors.
  let unappended = count;
  const shared: SharedLotRun = {
    masking,
    git: gitInfo(engine.processEnv, first.path),
    repo,
    // One git for the run's anchor, which the last lot's entry writes.
    ...(dir ? { anchorWriter: startAnchorWriter(engine.processEnv, workspace.root, repo) } : {}),
    guardMemo,
    anchor: () => --unappended <= 0 || req.signal?.aborted === true,
  };
  return shared;
}
