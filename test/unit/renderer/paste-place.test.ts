import { describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH } from '../../../src-renderer/canvas/auto-layout';
import { pasteOffset } from '../../../src-renderer/canvas/paste-place';
import type { Position } from '../../../shared/pipeline/schema';

const overlap = (a: Position, b: Position) => Math.abs(a.x - b.x) < CARD_WIDTH && Math.abs(a.y - b.y) < CARD_HEIGHT;
const moved = (ps: Position[], d: Position) => ps.map((p) => ({ x: p.x + d.x, y: p.y + d.y }));

describe('where pasted copies go', () => {
  it('right below the originals, as a group, never on them (not 32 px off, as before)', () => {
    const copied = [
      { x: 0, y: 0 },
      { x: 300, y: 0 },
    ];
    const d = pasteOffset({ copied, occupied: copied, originalsInPlace: true, viewCentre: { x: 0, y: 0 } });
    expect(d.x).toBe(0);
    expect(d.y).toBeGreaterThanOrEqual(CARD_HEIGHT);
    for (const c of moved(copied, d)) for (const o of copied) expect(overlap(c, o)).toBe(false);
  });

  it('further down past other cards, so a second paste lands below the first', () => {
    const copied = [{ x: 0, y: 0 }];
    const occupied = [{ x: 0, y: 0 }, { x: 0, y: 100 }, { x: 40, y: 210 }];
    const d = pasteOffset({ copied, occupied, originalsInPlace: true, viewCentre: { x: 0, y: 0 } });
    for (const o of occupied) expect(overlap(moved(copied, d)[0]!, o)).toBe(false);
    expect(d.y).toBeGreaterThan(210);
  });

  it('into the middle of the view when the originals are not here (another pipeline)', () => {
    const copied = [{ x: 5000, y: 5000 }];
    const d = pasteOffset({ copied, occupied: [], originalsInPlace: false, viewCentre: { x: 1000, y: 400 } });
    const at = moved(copied, d)[0]!;
    expect(Math.abs(at.x + CARD_WIDTH / 2 - 1000)).toBeLessThanOrEqual(4);
    expect(Math.abs(at.y + CARD_HEIGHT / 2 - 400)).toBeLessThanOrEqual(4);
  });
});
