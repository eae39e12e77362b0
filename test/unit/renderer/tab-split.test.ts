import { describe, expect, it } from 'vitest';
import { TAB_GAP, splitTabs } from '../../../src-renderer/shell/tab-split';

const ids = ['preview', 'checks', 'log', 'history', 'params', 'connections', 'changes'] as const;
const widths = [70, 66, 68, 64, 88, 96, 74];
const all = widths.reduce((a, w) => a + w, 0) + TAB_GAP * (widths.length - 1);
const span = (shown: readonly string[]) => shown.reduce((a, id) => a + widths[ids.indexOf(id as (typeof ids)[number])]!, 0) + TAB_GAP * Math.max(0, shown.length - 1);

describe('the bottom panel tab strip: which tabs fit, which go into More', () => {
  it('shows every tab, and no menu, when they fit', () => {
    expect(splitTabs(ids, widths, all, 60, 'log')).toEqual({ shown: [...ids], more: [] });
  });

  it('keeps the order and puts the rest into the menu, leaving room for the More button', () => {
    const { shown, more } = splitTabs(ids, widths, 300, 60, null);
    expect(shown).toEqual(['preview', 'checks', 'log']);
    expect(more).toEqual(['history', 'params', 'connections', 'changes']);
    expect(span(shown) + TAB_GAP + 60).toBeLessThanOrEqual(300);
  });

  it('always shows the selected tab, in the last place, within the room', () => {
    for (const room of [120, 200, 300, 420]) {
      const { shown, more } = splitTabs(ids, widths, room, 60, 'changes');
      expect(shown.at(-1)).toBe('changes');
      expect(more).not.toContain('changes');
      expect([...shown, ...more].sort()).toEqual([...ids].sort());
      if (shown.length > 1) expect(span(shown) + TAB_GAP + 60).toBeLessThanOrEqual(room);
    }
    expect(splitTabs(ids, widths, 300, 60, 'changes').shown).toEqual(['preview', 'checks', 'changes']);
  });

  it('shows the selected tab alone when nothing else fits', () => {
    expect(splitTabs(ids, widths, 90, 60, 'params')).toEqual({ shown: ['params'], more: ['preview', 'checks', 'log', 'history', 'connections', 'changes'] });
  });
});
