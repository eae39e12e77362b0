import type { DuckDBConnection } from '@duckdb/node-api';
import { WeirError } from '../../../shared/errors';
import type { RunEvent, NodeStatus } from '../../../shared/run/events';
import type { NodeRecord, PublishingRecord } from '../../../shared/run/record';
import type { NodeCache } from '../cache/node-cache';
import type { EngineContext } from '../context';
import type { SecretLookup } from '../workspace/workspace';
import { materializeNode } from './materialize';
import type { PlannedNode, Plan } from './plan';
import type { ParamValue } from './params';
import { withSession } from './session-scope';
import { allowedDirectories } from '../sandbox/allowed-dirs';
import { guardPlan, type GuardMemo } from './plan-guard';
import { isInterrupt, nodeFailure } from '../duckdb/sql-error';
import type { PublishIntent, PublishMode } from '../audit/publish-intent';
import { publishPhase, type StagedSink } from './publish-phase';
import type { PipelineLineage } from '../../../shared/lineage';
import type { SourceStates } from './source-state';

export interface ExecuteOptions {
  plan: Plan;
  runId: string;
  environment: string;
  params: Record<string, ParamValue>;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
  /** The run's lookup for `${env:NAME}`: the request's, then the engine context's. */
  secrets: SecretLookup;
  /** What the shell handed the engine: DuckDB, clients, settings, the clock. */
  engine: EngineContext;
  /** Nodes run at once on separate connections when their inputs are ready. */
  concurrency?: number;
  /** The node result cache; null runs everything (`--no-cache`). */
  cache?: NodeCache | null;
  /** Hash the rows of views too (`--hash-views`). */
  hashViews?: boolean;
  /** Count the rows of views (`--count-views`, the designer's runs); hashing them counts them too. */
  countViews?: boolean;
  /** Hash the rows of intermediate tables too (`--hash-tables`); outputs are always hashed. */
  hashTables?: boolean;
  /** When staged sinks publish (run/publish-phase.ts); `all` unless the run or the pipeline says otherwise. */
  publishMode?: PublishMode;
  /** The audit trail's check and intent entry, just before the first sink is published. */
  beforePublish?: (intent: PublishIntent) => Promise<void>;
  /** Keeps the process alive until the publish phase settles (a shell's second Ctrl-C waits). */
  holdExit?: <T>(work: Promise<T>) => Promise<T>;
  /** Compute the column graph once the nodes ran (for OpenLineage's column facets). */
  columnLineage?: boolean;
  /** Incremental sources' kept values; the caller keeps the proposals only after a fully successful run. */
  states?: SourceStates;
  /** The sandbox's passing verdicts from the run's preflight: those nodes are not parsed again. */
  guardMemo?: GuardMemo;
}

export interface ExecuteResult {
  status: 'succeeded' | 'failed' | 'cancelled';
  nodes: NodeRecord[];
  startedAt: Date;
  finishedAt: Date;
  /** The first failure, for a one-line message. */
  error: WeirError | null;
  /** How staged sinks were published; null when no sink staged an output. */
  publishing: PublishingRecord | null;
  /** The column graph, when asked for and it could be made; null otherwise. */
  lineage: PipelineLineage | null;
}

/** A node's warnings belong to the run record too (a session of a dead run ended, a cache not stored), up to a bound. */
const MAX_NODE_WARNINGS = 50;
function noteWarning(rec: NodeRecord, message: string): void {
  const list = (rec.warnings ??= []);
  if (list.length < MAX_NODE_WARNINGS) list.push(message);
  else if (list.length === MAX_NODE_WARNINGS) list.push('(more warnings were left out)');
}

/**
 * Runs a plan in a fresh session: each node in topological order (independent branches
 * concurrently), emitting progress events. A failed node, or a check that blocks, skips
 * everything downstream of it; other branches go on. Abort interrupts DuckDB.
 */
export async function executePlan(opts: ExecuteOptions): Promise<ExecuteResult> {
  const { plan, runId, engine } = opts;
  const emit = opts.onEvent ?? (() => {});
  const signal = opts.signal ?? new AbortController().signal;
  const now = () => engine.now().toISOString();
  const startedAt = engine.now();
  const records = new Map<string, NodeRecord>();
  for (const p of plan.nodes) {
    records.set(p.node.id, {
      id: p.node.id,
      name: p.node.name,
      kind: p.node.kind,
      upstream: [...p.node.inputs],
      status: 'queued',
      rows: null,
      durationMs: 0,
      outputHash: null,
      cached: false,
    });
  }
  emit({
    type: 'run_started',
    runId,
    pipeline: plan.pipeline.name,
    nodes: plan.nodes.map((p) => ({ id: p.node.id, name: p.node.name, kind: p.node.kind, inputs: [...p.node.inputs] })),
    at: now(),
  });

  let firstError: WeirError | null = null;
  const staged: StagedSink[] = [];
  let publishing: PublishingRecord | null = null;
  let lineage: PipelineLineage | null = null;
  // Set inside the session's callback (a holder, so TypeScript sees the assignment).
  const late: { publishError: WeirError | null } = { publishError: null };
  const cache = opts.cache ?? null;
  const keys = new Map<string, string | null>();
  const scope = {
    scratchPrefix: `${runId}-`,
    allowed: allowedDirectories(plan.workspace, engine.settings, opts.secrets),
    duckdb: engine.duckdb,
    signal,
    specs: plan.pipeline.params,
    params: opts.params,
  };
  await withSession(scope, async ({ session, scratchDir, connect }) => {
    await guardPlan(session.main, plan, plan.pipeline.name, opts.guardMemo);
    const idle: DuckDBConnection[] = [session.main];
    // A branch that runs concurrently takes another connection, its parameters set too.
    const takeConnection = async () => idle.pop() ?? (await connect());

    const status = (id: string): NodeStatus => records.get(id)?.status ?? 'queued';
    const pending = new Set(plan.nodes.map((p) => p.node.id));
    const running = new Map<string, Promise<void>>();
    const concurrency = Math.max(1, opts.concurrency ?? 2);
    const planned = new Map(plan.nodes.map((p) => [p.node.id, p]));

    const skip = (p: PlannedNode, reason: string) => {
      const rec = records.get(p.node.id)!;
      rec.status = signal.aborted ? 'cancelled' : 'skipped';
      pending.delete(p.node.id);
      emit({ type: 'node_skipped', runId, nodeId: p.node.id, name: p.node.name, reason });
    };

    const runOne = async (p: PlannedNode) => {
      const conn = await takeConnection();
      const rec = records.get(p.node.id)!;
      const t0 = performance.now();
      rec.status = 'running';
      rec.startedAt = now();
      emit({ type: 'node_started', runId, nodeId: p.node.id, name: p.node.name, at: rec.startedAt });
      try {
        const outcome = await materializeNode(p, {
          conn,
          signal,
          scratchDir,
          environment: opts.environment,
          secrets: opts.secrets,
          engine,
          params: opts.params,
          cache,
          keys,
          stats: true,
          hashViews: opts.hashViews ?? false,
          countViews: opts.countViews ?? false,
          hashTables: opts.hashTables ?? false,
          ...(opts.states ? { states: opts.states } : {}),
          reportRows: (rows) => emit({ type: 'node_rows', runId, nodeId: p.node.id, name: p.node.name, rows }),
          warn: (message, what) => {
            if (what === 'retry') rec.retries = (rec.retries ?? 0) + 1; // D-secrets: retries counted in the record
            else noteWarning(rec, message);
            emit({ type: 'node_warning', runId, nodeId: p.node.id, name: p.node.name, message });
          },
        });
        rec.durationMs = Math.round(performance.now() - t0);
        rec.finishedAt = now();
        rec.cached = outcome.cached;
        if (outcome.cacheKey) rec.cacheKey = outcome.cacheKey;
        rec.rows = outcome.rows;
        rec.outputHash = outcome.outputHash ?? null;
        if (outcome.inputs) rec.inputs = outcome.inputs;
        if (outcome.outputs) rec.outputs = outcome.outputs;
        if (outcome.checks) rec.checks = outcome.checks;
        if (outcome.publication) staged.push({ record: rec, publication: outcome.publication });
        if (outcome.blocking) {
          rec.status = 'failed';
          rec.error = outcome.blocking;
          firstError ??= new WeirError('node', `node "${p.node.name}": ${outcome.blocking}`, { nodeId: p.node.id, nodeName: p.node.name });
          emit({ type: 'node_failed', runId, nodeId: p.node.id, name: p.node.name, error: outcome.blocking, durationMs: rec.durationMs, at: rec.finishedAt });
        } else {
          rec.status = 'done';
          emit({
            type: 'node_finished',
            runId,
            nodeId: p.node.id,
            name: p.node.name,
            rows: rec.rows,
            durationMs: rec.durationMs,
            cached: rec.cached,
            at: rec.finishedAt,
          });
        }
      } catch (e) {
        rec.durationMs = Math.round(performance.now() - t0);
        rec.finishedAt = now();
        if (signal.aborted || isInterrupt(e)) {
          rec.status = 'cancelled';
          rec.error = 'cancelled';
          emit({ type: 'node_failed', runId, nodeId: p.node.id, name: p.node.name, error: 'cancelled', durationMs: rec.durationMs, at: rec.finishedAt });
        } else {
          const { error: err, reason } = nodeFailure(e, p.node.name, p.node.id);
          const { line, column } = err.details;
          rec.status = 'failed';
          rec.error = reason;
          firstError ??= err;
          emit({
            type: 'node_failed',
            runId,
            nodeId: p.node.id,
            name: p.node.name,
            error: err.message,
            ...(line ? { line, ...(column ? { column } : {}) } : {}),
            durationMs: rec.durationMs,
            at: rec.finishedAt,
          });
        }
      } finally {
        idle.push(conn);
      }
    };

    while (pending.size || running.size) {
      for (const id of [...pending]) {
        const p = planned.get(id)!;
        const ups = p.node.inputs.filter((u) => planned.has(u));
        if (signal.aborted) {
          skip(p, 'run cancelled');
          continue;
        }
        const blocked = ups.find((u) => ['failed', 'skipped', 'cancelled'].includes(status(u)));
        if (blocked) {
          skip(p, `upstream node "${planned.get(blocked)!.node.name}" did not finish`);
          continue;
        }
        if (running.size >= concurrency) break;
        if (ups.every((u) => status(u) === 'done')) {
          pending.delete(id);
          const task = runOne(p).finally(() => running.delete(id));
          running.set(id, task);
        }
      }
      if (running.size) await Promise.race(running.values());
      else if (pending.size) {
        // Nothing runnable and nothing running: only reachable if inputs are missing from the plan.
        for (const id of pending) skip(planned.get(id)!, 'inputs not in the plan');
      }
    }

    // The column graph binds the relations the nodes made (no rows are read); it never fails the run.
    if (opts.columnLineage && !signal.aborted) {
      try {
        // Loaded only for a run that sends column facets: a plain run does not pay for the analyser.
        const { pipelineLineage } = await import('../lineage/column-lineage');
        lineage = await pipelineLineage(session.main, plan.pipeline);
      } catch (e) {
        const first = records.values().next().value;
        if (first) noteWarning(first, `column lineage could not be computed: ${(e as Error).message}`);
      }
    }

    // Staged sinks publish together at the end (scratch files they commit from still exist here),
    // in the plan's order (a topological order), not in the order their staging happened to finish.
    const order = new Map(plan.nodes.map((p, i) => [p.node.id, i]));
    staged.sort((a, b) => (order.get(a.record.id) ?? 0) - (order.get(b.record.id) ?? 0));
    const cancelledBefore = signal.aborted;
    const hold = opts.holdExit ?? (<T>(work: Promise<T>) => work);
    const phase = await hold(publishPhase({
      runId,
      mode: opts.publishMode ?? 'all',
      staged,
      failed: [...records.values()].some((n) => n.status === 'failed' || n.status === 'skipped' || n.status === 'cancelled'),
      cancelled: cancelledBefore,
      signal,
      beforePublish: opts.beforePublish,
      emit,
      now: engine.now,
      warn: (name, message) => {
        const rec = [...records.values()].find((r) => r.name === name);
        if (rec) noteWarning(rec, message);
        if (rec) emit({ type: 'node_warning', runId, nodeId: rec.id, name, message });
      },
    }));
    publishing = phase.publishing;
    if (phase.error && !cancelledBefore) late.publishError = phase.error;
  });
  const nodes = plan.nodes.map((p) => records.get(p.node.id)!);
  const { publishError } = late;
  const cancelled = signal.aborted || publishError?.kind === 'cancelled';
  const failed = publishError !== null || nodes.some((n) => n.status === 'failed' || n.status === 'skipped');
  const status = cancelled ? 'cancelled' : failed ? 'failed' : 'succeeded';
  const error = publishError ?? (status === 'cancelled' ? new WeirError('cancelled', 'the run was cancelled') : firstError);
  return { status, nodes, startedAt, finishedAt: engine.now(), error, publishing, lineage };
}
