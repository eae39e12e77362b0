import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../../shared/pipeline/parse';
import type { Pipeline, Position } from '../../../shared/pipeline/schema';

interface LayoutNode {
  id: string;
  inputs: readonly string[];
}
import { CARD_HEIGHT, CARD_WIDTH, layoutPositions } from '../../../src-renderer/canvas/auto-layout';
import { elkLayoutPositions } from '../../../src-renderer/canvas/elk-layout';
import { TEMPLATE_PIPELINE, templateDir, type TemplateName } from '../../support/templates';

const template = (name: TemplateName = 'cgt-batch-release'): Pipeline => {
  const file = join(templateDir(name), TEMPLATE_PIPELINE[name]);
  return parsePipeline(readFileSync(file, 'utf8'), file).pipeline;
};

interface Curve {
  source: string;
  target: string;
  points: Position[];
}

/** Odd: two curves mirrored about the same middle meet exactly at t = ½, which a sample there would see as touching, not crossing. */
const STEPS = 25;

/**
 * Every edge as the canvas draws it: React Flow's bezier from the source's right port to the
 * target's left port (both control points at the horizontal middle), as a polyline.
 */
function curves(nodes: readonly LayoutNode[], at: Record<string, Position>): Curve[] {
  return nodes.flatMap((n) =>
    n.inputs.map((i) => {
      const a = { x: at[i]!.x + CARD_WIDTH, y: at[i]!.y + CARD_HEIGHT / 2 };
      const b = { x: at[n.id]!.x, y: at[n.id]!.y + CARD_HEIGHT / 2 };
      const mx = (a.x + b.x) / 2;
      const points = Array.from({ length: STEPS + 1 }, (_, k) => {
        const t = k / STEPS;
        const u = 1 - t;
        return { x: u * u * u * a.x + 3 * u * u * t * mx + 3 * u * t * t * mx + t * t * t * b.x, y: u * u * u * a.y + 3 * u * u * t * a.y + 3 * u * t * t * b.y + t * t * t * b.y };
      });
      return { source: i, target: n.id, points };
    }),
  );
}

const cross = (o: Position, a: Position, b: Position) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
const segmentsCross = (a: Position, b: Position, c: Position, d: Position) => cross(c, d, a) * cross(c, d, b) < 0 && cross(a, b, c) * cross(a, b, d) < 0;

/** Pairs of edges that cross (edges sharing a node meet at its port, which is not a crossing). */
function crossings(nodes: readonly LayoutNode[], at: Record<string, Position>): number {
  const cs = curves(nodes, at);
  let n = 0;
  for (let i = 0; i < cs.length; i++) {
    for (let j = i + 1; j < cs.length; j++) {
      const e = cs[i]!;
      const f = cs[j]!;
      if (new Set([e.source, e.target, f.source, f.target]).size < 4) continue;
      const hit = e.points.slice(1).some((p, k) => f.points.slice(1).some((q, l) => segmentsCross(e.points[k]!, p, f.points[l]!, q)));
      if (hit) n++;
    }
  }
  return n;
}

/** Edges drawn across a card that is neither of their ends. */
function throughCards(nodes: readonly LayoutNode[], at: Record<string, Position>): number {
  return curves(nodes, at).filter((c) =>
    nodes.some((n) => {
      if (n.id === c.source || n.id === c.target) return false;
      const q = at[n.id]!;
      return c.points.some((p) => p.x > q.x && p.x < q.x + CARD_WIDTH && p.y > q.y && p.y < q.y + CARD_HEIGHT);
    }),
  ).length;
}

function overlaps(at: Record<string, Position>): string[] {
  const ids = Object.keys(at);
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = at[ids[i]!]!;
      const b = at[ids[j]!]!;
      if (Math.abs(a.x - b.x) < CARD_WIDTH && Math.abs(a.y - b.y) < CARD_HEIGHT) out.push(`${ids[i]} ${ids[j]}`);
    }
  }
  return out;
}

describe('auto-layout with ELK', () => {
  it('untangles the CGT batch release template: no crossing (its own layout has one), fewer edges across cards than the old sweep', async () => {
    const p = template('cgt-batch-release');
    const sweep = layoutPositions(p.nodes);
    const elk = await elkLayoutPositions(p.nodes);
    expect(crossings(p.nodes, p.layout)).toBe(1);
    expect(crossings(p.nodes, elk)).toBe(0);
    expect(crossings(p.nodes, elk)).toBeLessThanOrEqual(crossings(p.nodes, sweep));
    expect(throughCards(p.nodes, sweep)).toBeGreaterThanOrEqual(3);
    expect(throughCards(p.nodes, elk)).toBeLessThan(throughCards(p.nodes, sweep));
  });

  it('removes the crossing the old sweep left in the bioreactor template', async () => {
    const p = template('cgt-bioreactor-trends');
    expect(crossings(p.nodes, layoutPositions(p.nodes))).toBe(1);
    expect(crossings(p.nodes, await elkLayoutPositions(p.nodes))).toBe(0);
  });

  it('reorders earlier layers where one barycentre sweep cannot: two sources joined, one apart between them', async () => {
    // In file order the lone source sits between the two joined ones: the sweep orders only
    // the later layer, so one edge into the join crosses the lone source's edge.
    const nodes: LayoutNode[] = [
      { id: 'batches', inputs: [] },
      { id: 'readings', inputs: [] },
      { id: 'assays', inputs: [] },
      { id: 'joined', inputs: ['batches', 'assays'] },
      { id: 'kpis', inputs: ['readings'] },
      { id: 'release', inputs: ['joined'] },
      { id: 'trend', inputs: ['kpis'] },
    ];
    expect(crossings(nodes, layoutPositions(nodes))).toBeGreaterThan(0);
    expect(crossings(nodes, await elkLayoutPositions(nodes))).toBe(0);
  });

  it('keeps data flowing left to right, without overlapping cards, on the 8 px grid', async () => {
    const p = template();
    const at = await elkLayoutPositions(p.nodes);
    expect(Object.keys(at).sort()).toEqual(p.nodes.map((n) => n.id).sort());
    for (const n of p.nodes) for (const i of n.inputs) expect(at[n.id]!.x).toBeGreaterThanOrEqual(at[i]!.x + CARD_WIDTH);
    expect(overlaps(at)).toEqual([]);
    for (const pos of Object.values(at)) expect([pos.x % 8, pos.y % 8]).toEqual([0, 0]);
  });

  it('is deterministic: the same graph gives the same positions, whatever else happened in between', async () => {
    const p = template();
    const first = await elkLayoutPositions(p.nodes);
    await elkLayoutPositions([{ id: 'x', inputs: [] }, { id: 'y', inputs: ['x'] }]);
    expect(await elkLayoutPositions(p.nodes)).toEqual(first);
  });

  it('lays out an empty graph, and a broken file with a cycle, without failing', async () => {
    expect(await elkLayoutPositions([])).toEqual({});
    const at = await elkLayoutPositions([
      { id: 'a', inputs: ['b'] },
      { id: 'b', inputs: ['a'] },
    ]);
    expect(Object.keys(at).sort()).toEqual(['a', 'b']);
  });
});
