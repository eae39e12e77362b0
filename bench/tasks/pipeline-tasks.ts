import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CHECKPOINT_THRESHOLD, findWorkspace, ident, literal, loadPipelineFile, planPipeline, resolveParams, setParamVariables, stagingPath, type Plan, type PlannedNode } from '../../src-main/engine';
import { copyOptions, orderClause } from '../../shared/nodes/file-sink/copy-statement';
import { benchEngine } from '../lib/engine';
import { sampleMemory, type MemoryPeak } from '../lib/memory';

export interface EngineRunResult {
  ms: number;
  /** Loading the run's modules before the clock started (`loadFirst`, see engineRun); null when not asked. */
  loadMs: number | null;
  status: string;
  error: string | null;
  nodes: { name: string; kind: string; ms: number; cached: boolean; rows: number | null }[];
  memory: MemoryPeak;
}

/**
 * One `weir run`, through the engine entry point every shell calls. The front door loads the
 * run's modules on first use (so that a command that runs nothing starts fast); a shell has them
 * loaded by the time it runs (the CLI's bundle is read at start, figure 6; the designer's server
 * loaded them with its first run), and the raw baseline's modules are loaded before its clock
 * too. So they are loaded first, untimed, by a run of a file that does not exist (the front door
 * loads the run path, which then refuses the file: nothing is read, written or started), and the
 * time that took is reported beside the figure. Through tsx, which compiles each of the ~190
 * modules (from its cache), it is several hundred ms that no shell pays this way. Figure 1 asks
 * for it (`loadFirst`); the figures that compare one engine run with another do not.
 */
export async function engineRun(args: { file: string; useCache: boolean; params?: Record<string, string>; loadFirst?: boolean }): Promise<EngineRunResult> {
  let loadMs: number | null = null;
  if (args.loadFirst) {
    const tl = performance.now();
    const missing = await benchEngine().run({ file: join(dirname(args.file), `bench-no-such-file-${process.pid}.weir.json`) }).then(
      () => null,
      (e: unknown) => e,
    );
    if (!missing) throw new Error('loading the run modules: a run of a missing file did not fail');
    loadMs = performance.now() - tl;
  }
  const mem = sampleMemory();
  const t0 = performance.now();
  const outcome = await benchEngine().run({ file: args.file, useCache: args.useCache, params: args.params ?? {} });
  const ms = performance.now() - t0;
  const memory = mem.stop();
  return {
    ms,
    loadMs,
    status: outcome.status,
    error: outcome.error?.message ?? null,
    nodes: outcome.record.nodes.map((n) => ({ name: n.name, kind: n.kind, ms: n.durationMs, cached: n.cached, rows: n.rows })),
    memory,
  };
}

export interface LoadedPlan {
  plan: Plan;
  params: ReturnType<typeof resolveParams>;
  root: string;
}

export async function loadPlan(file: string, runId: string, select: string | null = null, overrides: Record<string, string> = {}): Promise<LoadedPlan> {
  const loaded = await loadPipelineFile(file);
  const workspace = findWorkspace(dirname(loaded.path));
  const params = resolveParams(loaded.pipeline.params, overrides);
  return { plan: await planPipeline(loaded.pipeline, workspace, runId, select), params, root: workspace.root };
}

/** Where a file sink of this plan writes before publishing: made beforehand, removed after. */
function fileSinkStagings(lp: LoadedPlan, runId: string): string[] {
  return lp.plan.nodes
    .filter((p) => p.node.kind === 'file_sink')
    .map((p) => stagingPath(resolve(lp.root, String((p.ctx.config as { path: string }).path)), runId));
}

/**
 * What a hand-written DuckDB script runs for a node: the plan's statements, except a
 * partitioned file sink, which Weir writes one ordered COPY per folder (so the bytes are
 * reproducible; the plan shows that as a template, not a runnable statement): raw DuckDB's own
 * `COPY ... (PARTITION_BY ...)` of the same sorted rows into the same staging folder.
 */
function rawStatements(p: PlannedNode, lp: LoadedPlan, runId: string): string[] {
  const config = p.ctx.config as { path?: string; partition_by?: string[]; order_by?: string[]; format?: 'parquet' | 'csv' };
  if (p.node.kind !== 'file_sink' || !config.partition_by?.length) return p.compiled.statements;
  const target = stagingPath(resolve(lp.root, String(config.path)), runId);
  const input = p.ctx.inputs[0]!.name;
  const options = `${copyOptions({ format: config.format ?? 'parquet' })}, PARTITION_BY (${config.partition_by.map(ident).join(', ')}), OVERWRITE_OR_IGNORE`;
  return [`COPY (SELECT * FROM ${ident(input)} ORDER BY ${orderClause(config.order_by ?? [])}) TO ${literal(target)} (${options})`];
}

export interface RawRunResult {
  ms: number;
  statements: number;
  memory: MemoryPeak;
}

/**
 * The baseline for figure 1: the statements `weir plan` shows, in plan order, in one
 * connection of a fresh DuckDB instance, with the parameters set as the engine sets them.
 * Nothing else: no row counts, hashes, cache, events or run record.
 */
export async function rawRun(args: { file: string; params?: Record<string, string> }): Promise<RawRunResult> {
  const runId = `bench-raw-${process.pid}`;
  const lp = await loadPlan(args.file, runId, null, args.params ?? {});
  const stagings = fileSinkStagings(lp, runId);
  const statements = lp.plan.nodes.flatMap((p) => rawStatements(p, lp, runId));
  for (const s of stagings) await mkdir(dirname(s), { recursive: true });
  const mem = sampleMemory();
  const t0 = performance.now();
  // The engine's one non-default storage setting (duckdb/instance.ts: no automatic checkpoint of an
  // in-memory catalog), so that the ratio measures Weir's work and not DuckDB's configuration.
  const instance = await DuckDBInstance.create(':memory:', { checkpoint_threshold: CHECKPOINT_THRESHOLD });
  const conn = await instance.connect();
  await setParamVariables(conn, lp.plan.pipeline.params, lp.params);
  for (const s of statements) await conn.run(s);
  const ms = performance.now() - t0;
  const memory = mem.stop();
  conn.closeSync();
  instance.closeSync();
  for (const s of stagings) await rm(s, { recursive: true, force: true });
  return { ms, statements: statements.length, memory };
}
