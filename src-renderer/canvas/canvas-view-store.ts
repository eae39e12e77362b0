import { create } from 'zustand';
import type { Viewport } from './fit';

/**
 * Below this zoom a card shows its name large and its status as colour and icon (semantic
 * zoom); from it on, the details. The full card's name (15 px, canvas.css) is 11 px on screen
 * at this zoom: below it, it would no longer read.
 */
export const COMPACT_BELOW = 0.75;

/** A compact card's name, in flow pixels (`.node-card.compact .node-name` in canvas.css). */
export const COMPACT_NAME_PX = 32;

/** The smallest size a name may have on screen in a fitted view. */
export const READABLE_PX = 11.2;

/**
 * The smallest zoom "fit" chooses: a compact card's name is READABLE_PX on screen there. A
 * pipeline too large to fit at it is shown from its start (or around the selection), and the
 * wheel or the − button still zoom out further.
 */
export const FIT_MIN_ZOOM = READABLE_PX / COMPACT_NAME_PX;

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
  /** The node a keyboard connection starts from, while the list of targets is open. */
  connectFrom: string | null;
  setConnectFrom(id: string | null): void;
  /** The selected sticky notes and frames, by annotation id (the nodes' selection is the document store's). */
  selectedAnnotations: readonly string[];
  setSelectedAnnotations(ids: readonly string[]): void;
  /** The view the last fit chose, and how many of the pipeline's cards it shows whole. */
  fitted: FittedView | null;
  setFitted(fitted: FittedView | null): void;
}

export interface FittedView {
  view: Viewport;
  inView: number;
  total: number;
  /** The nodes and layout the counts are of: an added, deleted or moved card makes them stale. */
  of: { nodes: unknown; layout: unknown };
}

export const useCanvasView = create<CanvasViewState>()((set, get) => ({
  compact: false,
  connectFrom: null,
  setConnectFrom: (connectFrom) => set({ connectFrom }),
  selectedAnnotations: [],
  fitted: null,
  setFitted: (fitted) => set({ fitted }),
  setSelectedAnnotations(ids) {
    const now = get().selectedAnnotations;
    if (ids.length === now.length && ids.every((id, i) => id === now[i])) return;
    set({ selectedAnnotations: ids });
  },
  setZoom(zoom) {
    const compact = isCompactZoom(zoom);
    if (compact !== get().compact) set({ compact });
  },
}));
