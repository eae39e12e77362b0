import type { ProfileResultDto } from '../../shared/api/profile-schemas';
import type { PreviewResultDto } from '../../shared/api/schemas';
import type { PreviewFilter, PreviewSort } from '../../shared/preview/query';
import type { ChartResult, DocumentInput, Engine } from '../engine';
import type { ChartSpec, ChartWindow } from '../../shared/chart/spec';
import type { Explanation, PipelineLineage } from '../../shared/lineage';
import { insideWorkspace, workspaceRoot } from './paths';
import { PreviewSessions } from './preview-sessions';

/** The pipeline is the whole document, or edits of a revision the file's session answered before. */
export interface PreviewStart extends DocumentInput {
  root: string;
  path: string;
  nodeId: string;
  limit?: number;
  params?: Record<string, string | number | boolean>;
  environment?: string;
  count?: boolean;
  order_by?: PreviewSort[];
  filter?: PreviewFilter[];
  lot?: string;
}

/**
 * Previews and profiles through the engine, in the warm session of the pipeline's file
 * (preview-sessions.ts): the renderer sends the edits since the last document the session
 * answered for (the whole document when it has none, or the session has lost it), and the
 * session makes again only the nodes whose key changed. A new preview of a file cancels the preview
 * and the profile in flight for it (the user has moved on: DuckDB should stop working for
 * them); a new profile cancels the profile before it.
 */
export class PreviewManager {
  private readonly inFlight = new Map<string, AbortController>();
  private lineages = 0;
  readonly sessions: PreviewSessions;

  constructor(
    private readonly engine: Engine,
    opts: { idleMs?: number } = {},
  ) {
    this.sessions = new PreviewSessions(engine, opts.idleMs);
  }

  async preview(req: PreviewStart): Promise<PreviewResultDto & { revision: string }> {
    const file = insideWorkspace(workspaceRoot(req.root), req.path);
    this.inFlight.get(`profile:${file}`)?.abort();
    this.inFlight.get(`chart:${file}`)?.abort();
    const controller = this.start(file);
    try {
      const r = await this.sessions.use(file, async (session) => {
        const { pipeline, revision } = session.document(req);
        const result = await this.engine.preview(
          {
            pipeline,
            file,
            nodeId: req.nodeId,
            limit: req.limit,
            params: req.params,
            environment: req.environment,
            signal: controller.signal,
            count: req.count,
            orderBy: req.order_by,
            filter: req.filter,
            ...(req.lot !== undefined ? { lot: req.lot } : {}),
          },
          session,
        );
        return { ...result, revision };
      });
      return { nodeId: r.nodeId, columns: r.columns, rows: r.rows, rowCount: r.rowCount, elapsedMs: r.elapsedMs, revision: r.revision };
    } finally {
      this.finish(file, controller);
    }
  }

  /** Profiles every row of one node; a new profile of the same file cancels the last one. */
  async profile(req: Omit<PreviewStart, 'limit' | 'count' | 'order_by' | 'filter'>): Promise<ProfileResultDto & { revision: string }> {
    const file = insideWorkspace(workspaceRoot(req.root), req.path);
    const key = `profile:${file}`;
    const controller = this.start(key);
    try {
      const r = await this.sessions.use(file, async (session) => {
        const { pipeline, revision } = session.document(req);
        const result = await this.engine.profile(
          { pipeline, file, nodeId: req.nodeId, params: req.params, environment: req.environment, signal: controller.signal, ...(req.lot !== undefined ? { lot: req.lot } : {}) },
          session,
        );
        return { ...result, revision };
      });
      return { nodeId: r.nodeId, rows: r.rows, columns: r.columns, elapsedMs: r.elapsedMs, revision: r.revision };
    } finally {
      this.finish(key, controller);
    }
  }

  /** A chart of one node, reduced in DuckDB; a new chart of the same file cancels the last one, and a preview cancels it too. */
  async chart(req: Omit<PreviewStart, 'limit' | 'count' | 'order_by' | 'filter'> & { chart: ChartSpec; width?: number; window?: ChartWindow }): Promise<ChartResult & { revision: string }> {
    const file = insideWorkspace(workspaceRoot(req.root), req.path);
    const key = `chart:${file}`;
    const controller = this.start(key);
    try {
      return await this.sessions.use(file, async (session) => {
        const { pipeline, revision } = session.document(req);
        const result = await this.engine.chart(
          { pipeline, file, nodeId: req.nodeId, chart: req.chart, width: req.width, window: req.window, params: req.params, environment: req.environment, signal: controller.signal },
          session,
        );
        return { ...result, revision };
      });
    } finally {
      this.finish(key, controller);
    }
  }

  /**
   * The column graph of the document, in the file's warm session (what previews made is
   * reused). It runs beside previews: it cancels nothing and is not cancelled by them.
   */
  async lineage(req: Omit<PreviewStart, 'nodeId' | 'limit' | 'count' | 'order_by' | 'filter'>): Promise<{ graph: PipelineLineage; revision: string }> {
    const file = insideWorkspace(workspaceRoot(req.root), req.path);
    // Its own key, so that no preview cancels it; `cancel(file)` and dispose do (it makes nodes,
    // and a node's SQL may never end).
    const key = `lineage:${file}:${++this.lineages}`;
    const controller = this.start(key);
    try {
      return await this.sessions.use(file, async (session) => {
        const { pipeline, revision } = session.document(req);
        const graph = await this.engine.lineage({ pipeline, file, params: req.params, environment: req.environment, signal: controller.signal }, session);
        return { graph, revision };
      });
    } finally {
      this.finish(key, controller);
    }
  }

  /** "Explain this value": one row of a node traced back (engine.explain), in the file's warm session; a new explain cancels the last one. */
  async explain(req: Omit<PreviewStart, 'limit' | 'count' | 'order_by' | 'filter'> & { row: Record<string, unknown>; column?: string }): Promise<Explanation & { revision: string }> {
    const file = insideWorkspace(workspaceRoot(req.root), req.path);
    const key = `explain:${file}`;
    const controller = this.start(key);
    try {
      return await this.sessions.use(file, async (session) => {
        const { pipeline, revision } = session.document(req);
        const e = await this.engine.explain(
          { pipeline, file, nodeId: req.nodeId, row: req.row, ...(req.column !== undefined ? { column: req.column } : {}), params: req.params, environment: req.environment, signal: controller.signal },
          session,
        );
        return { ...e, revision };
      });
    } finally {
      this.finish(key, controller);
    }
  }

  /** Another workspace is open: the sessions of pipelines outside it are closed. */
  workspaceOpened(root: string): Promise<void> {
    return this.sessions.keepOnly(root);
  }

  cancelAll(): void {
    for (const c of this.inFlight.values()) c.abort();
  }

  /** Cancels what is in flight for one pipeline file: its preview, profile, chart, explain and lineages (`weir mcp` when its client cancels a call). */
  cancel(root: string, path: string): void {
    const file = insideWorkspace(workspaceRoot(root), path);
    for (const [key, c] of this.inFlight) if (key === file || key.endsWith(`:${file}`) || key.startsWith(`lineage:${file}:`)) c.abort();
  }

  /** Cancels what is in flight and closes every session (window closed, server stopped). */
  async dispose(): Promise<void> {
    this.cancelAll();
    await this.sessions.closeAll();
  }

  private start(key: string): AbortController {
    this.inFlight.get(key)?.abort();
    const controller = new AbortController();
    this.inFlight.set(key, controller);
    return controller;
  }

  private finish(key: string, controller: AbortController): void {
    if (this.inFlight.get(key) === controller) this.inFlight.delete(key);
  }
}
