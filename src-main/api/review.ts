import { WeirError } from '../../shared/errors';
import type { MethodParams } from '../../shared/api/contract';
import type { ReviewProgressDto } from '../../shared/api/review-schemas';
import type { ReviewReport } from '../../shared/review/schema';
import type { Engine } from '../engine';
import { insideWorkspace, workspaceRoot } from './paths';

/** Cancels that arrived before their review (over HTTP two requests may cross): at most this many kept. */
const EARLY_CANCELS = 64;

/**
 * Reviews in progress, each cancellable by the id its caller chose. The review itself is the
 * engine's `review`, exactly what `weir review` calls, so the designer's report and the CLI's
 * JSON are the same; this only maps its progress out and its cancel in.
 */
export class ReviewManager {
  private readonly active = new Map<string, AbortController>();
  private readonly early = new Set<string>();

  constructor(
    private readonly emit: (payload: { root: string; path: string; reviewId: string; progress: ReviewProgressDto }) => void,
    private readonly engine: Engine,
  ) {}

  async review(req: MethodParams<'pipeline.review'>): Promise<ReviewReport> {
    const root = workspaceRoot(req.root);
    const file = insideWorkspace(root, req.path);
    const { reviewId } = req;
    if (this.active.has(reviewId)) throw new WeirError('usage', `review "${reviewId}" is already running`);
    const controller = new AbortController();
    this.active.set(reviewId, controller);
    if (this.early.delete(reviewId)) controller.abort();
    try {
      if (controller.signal.aborted) throw new WeirError('cancelled', 'review cancelled');
      return await this.engine.review({
        file,
        base: req.base,
        // The designer's unsaved document is the head when it sends one (its Changes tab says so).
        head: null,
        headDocument: req.pipeline,
        keys: req.keys,
        allowCurrentInputs: req.allowCurrentInputs,
        environment: req.environment,
        params: req.params,
        signal: controller.signal,
        onProgress: (p) => this.emit({ root, path: req.path, reviewId, progress: { phase: p.phase, ...(p.node ? { node: p.node } : {}), done: p.done, total: p.total } }),
      });
    } finally {
      this.active.delete(reviewId);
    }
  }

  /** True when a review in progress was asked to stop; an id not (yet) running is remembered for a moment. */
  cancel(reviewId: string): boolean {
    const c = this.active.get(reviewId);
    if (c) {
      c.abort();
      return true;
    }
    this.early.add(reviewId);
    if (this.early.size > EARLY_CANCELS) this.early.delete(this.early.values().next().value as string);
    return false;
  }

  cancelAll(): void {
    for (const c of this.active.values()) c.abort();
  }
}
