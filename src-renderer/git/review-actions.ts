import { ApiError, errorMessage } from '../../shared/api/envelope';
import { api } from '../api/client';
import { useDoc } from '../document/doc-store';
import { runOptions } from '../run/run-options';
import { useReview } from './review-store';

const newReviewId = () => `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/**
 * Reviews the open pipeline: the last commit (HEAD) against what the designer shows. A
 * document with unsaved edits is sent along and is the review's head (what is on the canvas
 * is what gets reviewed); a saved one is reviewed from the file on disk, exactly as
 * `weir review` would. The environment and parameter values are the ones runs use.
 */
export async function startReview(): Promise<void> {
  const { root, path, doc, dirty } = useDoc.getState();
  if (!root || !path || !doc || useReview.getState().phase === 'running') return;
  const { problems, ...options } = runOptions();
  const reviewId = newReviewId();
  useReview.getState().begin({ reviewId, path, reviewed: doc, unsaved: dirty });
  const bad = Object.entries(problems)[0];
  if (bad) {
    useReview.getState().fail(reviewId, `Parameter ${bad[0]}: ${bad[1]}`, false);
    return;
  }
  try {
    const allow = useReview.getState().allowCurrentInputs;
    const report = await api.call('pipeline.review', { root, path, reviewId, ...(dirty ? { pipeline: doc } : {}), ...(allow ? { allowCurrentInputs: true } : {}), ...options });
    useReview.getState().finish(reviewId, report);
  } catch (e) {
    useReview.getState().fail(reviewId, errorMessage(e), e instanceof ApiError && e.kind === 'cancelled');
  }
}

export async function cancelReview(): Promise<void> {
  const { reviewId, phase } = useReview.getState();
  if (!reviewId || phase !== 'running') return;
  await api.call('review.cancel', { reviewId }).catch(() => undefined);
}

/**
 * Started once with the app: progress onto the store, and a review dropped (cancelled when
 * still running) once the document is another one than the one reviewed: an edit, an undo, a
 * reload or another file. Its marks would otherwise describe a graph that is no longer there.
 */
export function startReviewWiring(): () => void {
  const offProgress = api.on('review.progress', ({ reviewId, progress }) => useReview.getState().onProgress(reviewId, progress));
  const offDoc = useDoc.subscribe((s) => {
    const r = useReview.getState();
    if (r.phase === 'idle' || (s.doc === r.reviewed && s.path === r.path)) return;
    if (r.phase === 'running') void cancelReview();
    r.dismiss();
  });
  return () => {
    offProgress();
    offDoc();
  };
}
