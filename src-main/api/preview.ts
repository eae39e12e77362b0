import type { ProfileResultDto } from '../../shared/api/profile-schemas';
import type { PreviewResultDto } from '../../shared/api/schemas';
import type { Pipeline } from '../../shared/pipeline/schema';
import { previewNode } from '../engine/run/preview';
import { profileNode } from '../engine/run/profile';
import type { SecretLookup } from '../engine/workspace/workspace';
import { insideWorkspace, workspaceRoot } from './paths';

export interface PreviewStart {
  root: string;
  path: string;
  pipeline: Pipeline;
  nodeId: string;
  limit?: number;
  params?: Record<string, string | number | boolean>;
  environment?: string;
  count?: boolean;
}

/**
 * Previews through the engine's `previewNode`. A new preview of the same file cancels the
 * one before it: the user has moved on, and DuckDB should stop working for the old one.
 */
export class PreviewManager {
  private readonly inFlight = new Map<string, AbortController>();

  constructor(private readonly secrets: SecretLookup) {}

  async preview(req: PreviewStart): Promise<PreviewResultDto> {
    const root = workspaceRoot(req.root);
    const file = insideWorkspace(root, req.path);
    this.inFlight.get(file)?.abort();
    const controller = new AbortController();
    this.inFlight.set(file, controller);
    try {
      const r = await previewNode({
        pipeline: req.pipeline,
        file,
        nodeId: req.nodeId,
        limit: req.limit,
        params: req.params,
        environment: req.environment,
        signal: controller.signal,
        secrets: this.secrets,
        count: req.count,
      });
      return { nodeId: r.nodeId, columns: r.columns, rows: r.rows, rowCount: r.rowCount, elapsedMs: r.elapsedMs };
    } finally {
      if (this.inFlight.get(file) === controller) this.inFlight.delete(file);
    }
  }

  /** Profiles every row of one node; a new profile of the same file cancels the last one. */
  async profile(req: Omit<PreviewStart, 'limit' | 'count'>): Promise<ProfileResultDto> {
    const root = workspaceRoot(req.root);
    const file = insideWorkspace(root, req.path);
    const key = `profile:${file}`;
    this.inFlight.get(key)?.abort();
    const controller = new AbortController();
    this.inFlight.set(key, controller);
    try {
      const r = await profileNode({
        pipeline: req.pipeline,
        file,
        nodeId: req.nodeId,
        params: req.params,
        environment: req.environment,
        signal: controller.signal,
        secrets: this.secrets,
      });
      return { nodeId: r.nodeId, rows: r.rows, columns: r.columns, elapsedMs: r.elapsedMs };
    } finally {
      if (this.inFlight.get(key) === controller) this.inFlight.delete(key);
    }
  }

  cancelAll(): void {
    for (const c of this.inFlight.values()) c.abort();
  }
}
