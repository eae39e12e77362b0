import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { parsePipeline } from '../../shared/pipeline/parse';
import { ident, setParamVariables, type PreviewSession } from '../../src-main/engine';
import { benchEngine } from '../lib/engine';
import { loadPlan } from './pipeline-tasks';

export interface LoopDelay {
  /** Milliseconds the event loop was late, worst case and 99th percentile (10 ms resolution). */
  maxMs: number;
  p99Ms: number;
  meanMs: number;
}

function loopDelayDuring<T>(work: () => Promise<T>): Promise<{ value: T; delay: LoopDelay; ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t0 = performance.now();
  return work().then((value) => {
    const ms = performance.now() - t0;
    h.disable();
    return { value, ms, delay: { maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6, meanMs: h.mean / 1e6 } };
  });
}

export interface PreviewRunResult {
  coldMs: number;
  warmMs: number;
  /** The process's first preview (of another node): it loads the engine's modules and DuckDB. */
  processFirstMs: number;
  rows: number;
  /** Event-loop delay while the cold preview ran (the heavier one), and while idle as long. */
  delayDuringPreview: LoopDelay;
  delayIdle: LoopDelay;
}

/**
 * Figure 3, Weir side: the engine's preview as the designer's API calls it: in the pipeline's
 * warm preview session (api/preview-sessions.ts), twice. The first call opens the session and
 * stages the sources (cold), the second is what an analyst sees when editing (warm). Opening
 * the session is part of the cold figure.
 *
 * The process is the designer's: it has loaded the engine's modules and the workspace's DuckDB
 * instance before the analyst opens the pipeline (here: a preview of `warmNodeId`, a node
 * outside the measured node's upstream, in a session closed before the measured one opens).
 * How long that very first preview of the process took is reported beside the figure.
 */
export async function enginePreview(args: { file: string; nodeId: string; warmNodeId: string; limit: number }): Promise<PreviewRunResult> {
  const text = await readFile(args.file, 'utf8');
  const { pipeline } = parsePipeline(text, args.file);
  const req = { pipeline, file: args.file, nodeId: args.nodeId, limit: args.limit };
  const engine = benchEngine();
  const t00 = performance.now();
  const first = await engine.previewSession(args.file);
  try {
    await engine.preview({ ...req, nodeId: args.warmNodeId }, first);
  } finally {
    await first.close();
  }
  const processFirstMs = performance.now() - t00;
  let session: PreviewSession | undefined;
  try {
    const cold = await loopDelayDuring(async () => {
      session = await engine.previewSession(args.file);
      return engine.preview(req, session);
    });
    const t0 = performance.now();
    const warm = await engine.preview(req, session);
    const warmMs = performance.now() - t0;
    const idle = await loopDelayDuring(() => new Promise<void>((r) => setTimeout(r, Math.min(2000, Math.max(200, cold.ms)))));
    return { coldMs: cold.ms, warmMs, processFirstMs, rows: warm.rows.length, delayDuringPreview: cold.delay, delayIdle: idle.delay };
  } finally {
    await session?.close();
  }
}

export interface RawPreviewResult {
  stageMs: number;
  firstMs: number;
  secondMs: number;
  rows: number;
}

/**
 * Figure 3, baseline: the statements a preview runs for the node's upstream, raw in one
 * connection (a file source's preview statements where it has them: a view over the files,
 * as `materializeNode` chooses for a preview, not the table a run stages), then the same
 * `SELECT * ... LIMIT` read into JS, twice.
 */
export async function rawPreview(args: { file: string; nodeName: string; limit: number }): Promise<RawPreviewResult> {
  const lp = await loadPlan(args.file, `bench-rawpreview-${process.pid}`, `+${args.nodeName}`);
  // A file source previews as a view over its files (what its previewStatements make after checking each file).
  const asView = (s: string) => s.replace(/^CREATE OR REPLACE TABLE /, 'CREATE OR REPLACE VIEW ');
  const statements = lp.plan.nodes
    .filter((p) => p.compiled.relation !== 'none')
    .flatMap((p) => (p.runtime.previewStatements ? p.compiled.statements.map(asView) : p.compiled.statements));
  const t0 = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await setParamVariables(conn, lp.plan.pipeline.params, lp.params);
  for (const s of statements) await conn.run(s);
  const stageMs = performance.now() - t0;
  const sql = `SELECT * FROM ${ident(args.nodeName)} LIMIT ${args.limit}`;
  const timeLimit = async () => {
    const t = performance.now();
    const reader = await conn.runAndReadAll(sql);
    const rows = reader.getRowsJS();
    return { ms: performance.now() - t, rows: rows.length };
  };
  const first = await timeLimit();
  const second = await timeLimit();
  conn.closeSync();
  instance.closeSync();
  return { stageMs, firstMs: first.ms, secondMs: second.ms, rows: second.rows };
}
