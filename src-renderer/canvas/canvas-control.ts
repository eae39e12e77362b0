import type { Position } from '../../shared/pipeline/schema';

/** What commands outside the canvas (menu, keys, toolbar) may ask of it. */
export interface CanvasControl {
  fitView(): void;
  /** The flow position at the centre of the visible canvas. */
  center(): Position;
  /** Brings a node's card to the middle of the view (a problem in the list was picked). */
  reveal(nodeId: string): void;
  /** Pans, keeping the zoom, until these nodes' cards are in view (pasted copies). */
  show(nodeIds: readonly string[]): void;
  /** Where the pointer last was over the canvas, in flow units; null when it is not over it. */
  pointer(): Position | null;
  /** The cards as drawn (measured sizes), in flow units. */
  cardRects(ids?: readonly string[]): { id: string; x: number; y: number; width: number; height: number }[];
}

let current: CanvasControl | null = null;

export const setCanvasControl = (c: CanvasControl | null) => {
  current = c;
};
export const canvasControl = (): CanvasControl | null => current;
