import { Position, type NodeHandle } from '@xyflow/react';
import { nodeKindSpec } from '../../shared/nodes/registry';
import { CARD_HEIGHT, CARD_WIDTH } from './auto-layout';

/**
 * The size and ports of a node card as the stylesheet lays it out (`.node-card` in
 * canvas/canvas.css: 220 px wide, at least 76 px tall, zoomed out or not; a 10 px port centred
 * on each side's inner border edge, 1 px in from the outer edge).
 *
 * Handing React Flow these numbers before it has measured a card lets it show the card and
 * draw its edges in the first render, and its measuring then finds nothing to change; without
 * them a 1000-node canvas renders every card, measures it, and renders everything again.
 * Where a card turns out another size (a failure message on it), React Flow's measurement
 * takes over for that card.
 */
export const PREDICTED_SIZE = { width: CARD_WIDTH, height: CARD_HEIGHT } as const;

const PORT = 10;
const BORDER = 1;

export interface CardPorts {
  input: boolean;
  output: boolean;
}

/** Sources take no input; outputs pass nothing on. */
export function cardPorts(kind: string): CardPorts {
  const spec = nodeKindSpec(kind);
  return { input: (spec?.inputs.max ?? 1) > 0, output: spec?.category !== 'sink' };
}

/** Where a card of this size has its ports, relative to its top-left corner. */
export function portHandles(ports: CardPorts, size: { width: number; height: number }): NodeHandle[] {
  const y = size.height / 2 - PORT / 2;
  const out: NodeHandle[] = [];
  if (ports.input) out.push({ id: null, type: 'target', position: Position.Left, x: BORDER - PORT / 2, y, width: PORT, height: PORT });
  if (ports.output) out.push({ id: null, type: 'source', position: Position.Right, x: size.width - BORDER - PORT / 2, y, width: PORT, height: PORT });
  return out;
}
