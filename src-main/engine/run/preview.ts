import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { WeirError } from '../../../shared/errors';
import type { Pipeline } from '../../../shared/pipeline/schema';
import type { PreviewResult } from '../../../shared/preview/results';
import { ident } from '../duckdb/sql';
import { findWorkspace, type SecretLookup } from '../workspace/workspace';
import { NodeCache } from '../cache/node-cache';
import { nodeCacheDir } from '../cache/cache-paths';
import { materializeNode } from './materialize';
import { resolveParams } from './params';
import { planPipeline } from './plan';
import { relationRowCount } from './relation-stats';
import { newRunId } from './run-id';
import { withSession } from './session-scope';
import { allowedDirectories } from '../sandbox/allowed-dirs';
import { guardPlan } from '../sandbox/plan-guard';
import { isInterrupt, nodeFailure } from './sql-error';

export interface NodeRequest {
  pipeline: Pipeline;
  /** The pipeline file's path: it locates the workspace (relative paths, connections). */
  file: string;
  nodeId: string;
  params?: Record<string, string | number | boolean>;
  environment?: string;
  signal?: AbortSignal;
  secrets?: SecretLookup;
  /** False bypasses the node result cache. */
  useCache?: boolean;
}

export interface PreviewRequest extends NodeRequest {
  limit?: number;
  /** Also count every row of the node (a full computation of it). */
  count?: boolean;
}

/** The API contract's DTOs are these types: one definition, in shared/. */
export type { PreviewColumn, PreviewResult } from '../../../shared/preview/results';

export function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return `\\x${Buffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

/**
 * Materializes what one node needs (the node and its upstream; sinks never run, and a sink
 * stands for the rows it would write) in a private session, then hands its relation to
 * `use`. Previews, profiles and column lookups for completion all come through here.
 */
export async function withNodeRelation<T>(
  req: NodeRequest,
  use: (conn: DuckDBConnection, relation: string) => Promise<T>,
): Promise<T> {
  const target = req.pipeline.nodes.find((n) => n.id === req.nodeId);
  if (!target) throw new WeirError('usage', `no node with id "${req.nodeId}"`);
  const workspace = findWorkspace(dirname(req.file));
  const environment = req.environment ?? workspace.file.default_environment;
  const params = resolveParams(req.pipeline.params, req.params ?? {});
  const plan = planPipeline(req.pipeline, workspace, newRunId(), `+${target.name}`, req.file);
  const targetPlan = plan.nodes.find((p) => p.node.id === target.id);
  const steps = plan.nodes.filter((p) => p.compiled.relation !== 'none');
  const shownName = targetPlan?.compiled.relation === 'none' ? (targetPlan.ctx.inputs[0]?.name ?? target.name) : target.name;

  const signal = req.signal ?? new AbortController().signal;
  let current = target.name;
  try {
    const scope = { scratchPrefix: 'preview-', allowed: allowedDirectories(workspace, req.secrets), signal, specs: req.pipeline.params, params };
    return await withSession(scope, async ({ session, scratchDir }) => {
      await guardPlan(session.main, { ...plan, nodes: steps }, req.file);
      const keys = new Map<string, string | null>();
      const cache = req.useCache === false ? null : new NodeCache(nodeCacheDir(workspace));
      for (const p of steps) {
        current = p.node.name;
        await materializeNode(p, {
          conn: session.main,
          signal,
          scratchDir,
          environment,
          secrets: req.secrets,
          params,
          cache,
          keys,
          stats: false,
          preview: true,
          reportRows: () => {},
          warn: () => {},
        });
      }
      current = shownName;
      return await use(session.main, shownName);
    });
  } catch (e) {
    if (e instanceof WeirError) throw e;
    if (signal.aborted || isInterrupt(e)) throw new WeirError('cancelled', 'preview cancelled');
    throw nodeFailure(e, current, req.pipeline.nodes.find((n) => n.name === current)?.id).error;
  }
}

/** The first rows of one node; DuckDB stops early on a LIMIT over views. */
export async function previewNode(req: PreviewRequest): Promise<PreviewResult> {
  const t0 = performance.now();
  return withNodeRelation(req, async (conn, relation) => {
    const limit = Math.max(0, Math.min(req.limit ?? 1000, 100_000));
    const reader = await conn.runAndReadAll(`SELECT * FROM ${ident(relation)} LIMIT ${limit}`);
    const names = reader.columnNames();
    const types = reader.columnTypes().map(String);
    const rows = reader.getRowsJS().map((r) => r.map(jsonSafe));
    let rowCount: number | null = rows.length < limit ? rows.length : null;
    if (req.count && rowCount === null) {
      rowCount = await relationRowCount(conn, relation);
    }
    return {
      nodeId: req.nodeId,
      columns: names.map((name, i) => ({ name, type: types[i] ?? 'UNKNOWN' })),
      rows,
      rowCount,
      elapsedMs: Math.round(performance.now() - t0),
    };
  });
}
