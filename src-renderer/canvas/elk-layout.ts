import type { ElkNode } from 'elkjs/lib/elk-api';
import type { Pipeline, Position } from '../../shared/pipeline/schema';
import { CARD_HEIGHT, CARD_WIDTH, layoutPositions } from './auto-layout';

/** What the layout needs of a node: its id, its inputs (the edges), and whether it has ports on each side. */
export interface ElkLayoutNode {
  id: string;
  inputs: readonly string[];
}

/**
 * Spacing in flow units. Between layers: room for an edge's curve and arrow; it also decides
 * how wide a pipeline is, and so the zoom a fitted view gets (every layer is a card's width
 * plus this). Within a layer: over half a card's height, so that the edges between stacked
 * cards stay apart when zoomed out (28 px looked crowded at fit).
 */
const BETWEEN_LAYERS = 64;
const WITHIN_LAYER = 44;

/**
 * ELK's layered algorithm (Sugiyama): layers by a network simplex, crossing minimisation by
 * layer sweeps with a greedy switch after, node placement by network simplex (straight, short
 * edges), every card with one port on its left and one on its right where the canvas draws
 * them, so the edges ELK untangles are the ones on screen. ELK's random seed is fixed, so the
 * same graph always gets the same layout. (Keeping the file's node order as a tie-breaker,
 * `considerModelOrder`, cost the CGT template an edge crossing: left out.)
 */
const OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': String(BETWEEN_LAYERS),
  'elk.spacing.nodeNode': String(WITHIN_LAYER),
  'elk.spacing.componentComponent': String(WITHIN_LAYER * 2),
  // A long edge passes between the cards of the layers it crosses: as far from them as cards
  // are from each other, so it never grazes one.
  'elk.spacing.edgeNode': String(WITHIN_LAYER),
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.layered.crossingMinimization.greedySwitch.type': 'TWO_SIDED',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
  'elk.edgeRouting': 'SPLINES',
  'elk.randomSeed': '1',
};

const portIn = (id: string) => `${id}\u0000in`;
const portOut = (id: string) => `${id}\u0000out`;

/** The graph as ELK reads it: cards of the canvas's size, with their two ports at the middle of each side. */
export function elkGraph(nodes: readonly ElkLayoutNode[]): ElkNode {
  const ids = new Set(nodes.map((n) => n.id));
  return {
    id: 'root',
    layoutOptions: OPTIONS,
    children: nodes.map((n) => ({
      id: n.id,
      width: CARD_WIDTH,
      height: CARD_HEIGHT,
      layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
      ports: [
        { id: portIn(n.id), x: 0, y: CARD_HEIGHT / 2, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'WEST' } },
        { id: portOut(n.id), x: CARD_WIDTH, y: CARD_HEIGHT / 2, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'EAST' } },
      ],
    })),
    edges: nodes.flatMap((n) =>
      n.inputs.filter((i) => ids.has(i)).map((i) => ({ id: `${i}->${n.id}`, sources: [portOut(i)], targets: [portIn(n.id)] })),
    ),
  };
}

interface ElkLike {
  layout(graph: ElkNode): Promise<ElkNode>;
}
let elk: Promise<ElkLike> | null = null;

/** ELK's bundled build, in the calling thread. */
const inPage = (): Promise<ElkLike> => import('elkjs/lib/elk.bundled.js').then((m) => new m.default());

/**
 * ELK itself, loaded on first use: its code is large (1.5 MB), and most sessions never lay
 * out. In the page it runs in a web worker (elk-worker.ts); where there are no workers (the
 * unit tests in Node) or the worker cannot start, the bundled build runs in the calling
 * thread, which takes well under a second for a 400-node pipeline.
 */
function loadElk(): Promise<ElkLike> {
  elk ??= (typeof Worker === 'undefined' ? Promise.reject(new Error('no workers here')) : import('./elk-worker').then((m) => m.elkInWorker())).catch(inPage);
  return elk;
}

/** How long a layout in the worker may take before the bundled build in the page is used instead. */
const WORKER_PATIENCE_MS = 15_000;

/** Positions by ELK, rounded to the canvas's 8 px grid. */
export async function elkLayoutPositions(nodes: readonly ElkLayoutNode[]): Promise<Record<string, Position>> {
  if (!nodes.length) return {};
  const graph = elkGraph(nodes);
  const engine = await loadElk();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const laid = await Promise.race([
    engine.layout(graph),
    // A worker that failed to start never answers: from then on, ELK runs in the page.
    new Promise<ElkNode>((resolve, reject) => {
      timer = setTimeout(() => {
        elk = inPage();
        elk.then((e) => e.layout(elkGraph(nodes))).then(resolve, reject);
      }, WORKER_PATIENCE_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  const out: Record<string, Position> = {};
  for (const c of laid.children ?? []) out[c.id] = { x: Math.round((c.x ?? 0) / 8) * 8, y: Math.round((c.y ?? 0) / 8) * 8 };
  return out;
}

/**
 * The whole pipeline laid out again by ELK (one edit, so one undo step). Should ELK fail to
 * load or to lay out, the simple layered layout (one barycentre sweep) is used instead.
 */
export async function elkAutoLayout(p: Pipeline): Promise<Record<string, Position>> {
  try {
    return await elkLayoutPositions(p.nodes);
  } catch {
    return layoutPositions(p.nodes);
  }
}
