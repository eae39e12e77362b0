import { useStore } from '@xyflow/react';
import type { JSX } from 'react';
import { useDoc } from '../document/doc-store';
import { FIT_MIN_ZOOM, useCanvasView } from './canvas-view-store';

/**
 * Says so when "zoom to fit" could not show the whole pipeline: fit stops at the zoom where
 * names still read (FIT_MIN_ZOOM), so on a small screen with every panel open part of a
 * large pipeline is out of view, and without a word the view looks like the whole of it.
 * Shown while the view is the fitted one; a pan or zoom of the user's own hides it. Not a
 * React Flow panel: fitting keeps cards clear of those, and a note would cost the view room.
 */
export function FitNote(): JSX.Element | null {
  const fitted = useCanvasView((s) => s.fitted);
  // One boolean per frame of a pan: the selector is cheap and re-renders only when it flips.
  const stillFitted = useStore((s) => {
    if (!fitted) return false;
    const [x, y, zoom] = s.transform;
    return Math.abs(zoom - fitted.view.zoom) < 1e-3 && Math.abs(x - fitted.view.x) < 1 && Math.abs(y - fitted.view.y) < 1;
  });
  // Counted for the pipeline as it was fitted: a card added, deleted or moved since (the view
  // unmoved) made it say "2 of 3 nodes" beside five.
  const sameCards = useDoc((s) => !!fitted && s.doc?.nodes === fitted.of.nodes && s.doc?.layout === fitted.of.layout);
  // At a larger zoom everything fitted (a card left under the overview map is no news).
  if (!fitted || !stillFitted || !sameCards || fitted.inView >= fitted.total || fitted.view.zoom > FIT_MIN_ZOOM + 1e-6) return null;
  return (
    <div className="fit-note" role="status" data-testid="fit-note" data-in-view={fitted.inView} data-total={fitted.total}>
      <b>
        {fitted.inView} of {fitted.total} nodes in view
      </b>{' '}
      <span>(the map shows the rest)</span>
    </div>
  );
}

/** The four corners of React Flow's fit button, drawn the same (its icon is not exported). */
export function FitIcon(): JSX.Element {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
      <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
    </svg>
  );
}
