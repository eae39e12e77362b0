import { create } from 'zustand';

/** Below this zoom a card shows its name large and little else, so a whole pipeline still reads. */
export const COMPACT_BELOW = 0.6;

export const isCompactZoom = (zoom: number): boolean => zoom < COMPACT_BELOW;

/**
 * What the canvas's zoom means for the cards, kept apart from React Flow's store. React Flow's
 * store changes on every frame of a pan, and every subscriber's selector runs each time: a
 * card subscribing there costs a thousand selector calls a frame on a 1000-node canvas. This
 * store changes only when the zoom crosses the threshold, and one subscriber (the canvas)
 * feeds it.
 */
interface CanvasViewState {
  compact: boolean;
  setZoom(zoom: number): void;
}

export const useCanvasView = create<CanvasViewState>()((set, get) => ({
  compact: false,
  setZoom(zoom) {
    const compact = isCompactZoom(zoom);
    if (compact !== get().compact) set({ compact });
  },
}));
