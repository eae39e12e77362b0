import { describe, expect, it } from 'vitest';
import { CARD_HEIGHT, layoutPositions } from '../../../src-renderer/canvas/auto-layout';

describe('auto-layout', () => {
  it('puts each node one column right of its furthest input, without overlaps', () => {
    const nodes = [
      { id: 'a', inputs: [] },
      { id: 'b', inputs: [] },
      { id: 'c', inputs: ['a'] },
      { id: 'd', inputs: ['c', 'b'] },
      { id: 'e', inputs: ['a'] },
    ];
    const pos = layoutPositions(nodes);
    expect(pos.a!.x).toBe(pos.b!.x);
    expect(pos.c!.x).toBeGreaterThan(pos.a!.x);
    expect(pos.d!.x).toBeGreaterThan(pos.c!.x);
    expect(pos.e!.x).toBe(pos.c!.x);
    expect(Math.abs(pos.c!.y - pos.e!.y)).toBeGreaterThanOrEqual(CARD_HEIGHT);
  });

  it('survives a cycle in a broken file', () => {
    const pos = layoutPositions([
      { id: 'a', inputs: ['b'] },
      { id: 'b', inputs: ['a'] },
    ]);
    expect(Object.keys(pos).sort()).toEqual(['a', 'b']);
  });
});
