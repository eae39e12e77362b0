import { create } from 'zustand';
import type { ReviewProgressDto } from '../../shared/api/review-schemas';
import type { Pipeline } from '../../shared/pipeline/schema';
import type { ReviewNode, ReviewReport } from '../../shared/review/schema';

/** How a node is marked on the canvas after a review: what changed it, and whether it breaks. */
export interface ReviewMark {
  change: ReviewNode['change'];
  classification: ReviewNode['classification'];
}

export type ReviewPhase = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

/**
 * The review of the open pipeline (the Changes tab's Review button): its progress, then its
 * report and the marks the canvas draws from it, keyed by node id like run status so that a
 * card reads only its own mark. The report belongs to the document it was made of: another
 * document (an edit, an undo, another file) clears it (review-actions.ts).
 */
interface ReviewState {
  phase: ReviewPhase;
  reviewId: string | null;
  path: string | null;
  /** The document the review was started on (its head when it was unsaved). */
  reviewed: Pipeline | null;
  /** True when the head was the designer's unsaved document rather than the file on disk. */
  unsaved: boolean;
  progress: ReviewProgressDto | null;
  report: ReviewReport | null;
  error: string | null;
  marks: Readonly<Record<string, ReviewMark>>;
  /** Review over the current inputs when the base run's cannot be had (no base run, an input changed and not cached). */
  allowCurrentInputs: boolean;
  setAllowCurrentInputs(on: boolean): void;
  begin(args: { reviewId: string; path: string; reviewed: Pipeline; unsaved: boolean }): void;
  onProgress(reviewId: string, p: ReviewProgressDto): void;
  finish(reviewId: string, report: ReviewReport): void;
  fail(reviewId: string, error: string, cancelled: boolean): void;
  dismiss(): void;
}

const idle = { phase: 'idle' as const, reviewId: null, path: null, reviewed: null, unsaved: false, progress: null, report: null, error: null, marks: {} };

/** The marks of a report: every node it lists that is still in the document (a removed node has no card). */
export function marksOf(report: ReviewReport): Record<string, ReviewMark> {
  const out: Record<string, ReviewMark> = {};
  for (const n of report.nodes) if (n.change !== 'removed') out[n.id] = { change: n.change, classification: n.classification };
  return out;
}

export const useReview = create<ReviewState>()((set, get) => ({
  ...idle,
  allowCurrentInputs: false,
  setAllowCurrentInputs(on) {
    set({ allowCurrentInputs: on });
  },
  begin({ reviewId, path, reviewed, unsaved }) {
    set({ ...idle, phase: 'running', reviewId, path, reviewed, unsaved });
  },
  onProgress(reviewId, progress) {
    if (get().reviewId === reviewId && get().phase === 'running') set({ progress });
  },
  finish(reviewId, report) {
    if (get().reviewId !== reviewId || get().phase !== 'running') return;
    set({ phase: 'done', report, progress: null, marks: marksOf(report) });
  },
  fail(reviewId, error, cancelled) {
    if (get().reviewId !== reviewId || get().phase !== 'running') return;
    set({ phase: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : error, progress: null });
  },
  dismiss() {
    if (get().phase !== 'idle') set(idle);
  },
}));
