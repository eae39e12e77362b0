import { describe, expect, it } from 'vitest';
import { placeAbove } from '../../../src-renderer/ui/popover-place';

const view = { width: 1024, height: 700 };
/** The status bar's count at 1024x700, and the bottom panel above the status bar. */
const opener = { left: 220, top: 678, right: 290, bottom: 694 };
const panel = { left: 225, top: 394, right: 693, bottom: 676 };

describe('placeAbove (the problems list above the status bar)', () => {
  it('sits above the bottom panel, clear of it, with its height within the window', () => {
    const p = placeAbove(opener, panel, view);
    expect(view.height - p.bottom).toBeLessThanOrEqual(panel.top); // its bottom edge is above the panel
    expect(view.height - p.bottom - p.maxHeight).toBeGreaterThanOrEqual(0); // its top inside the window
    expect(p.left).toBe(208);
    expect(p.left + p.maxWidth).toBeLessThanOrEqual(view.width);
  });

  it('sits right above its opener when the panel leaves too little room over it', () => {
    const tall = { ...panel, top: 60 };
    const p = placeAbove(opener, tall, view);
    expect(view.height - p.bottom).toBeLessThanOrEqual(opener.top);
    expect(view.height - p.bottom).toBeGreaterThan(tall.top);
    expect(view.height - p.bottom - p.maxHeight).toBeGreaterThanOrEqual(0);
  });

  it('ignores a box that is not above the opener, and keeps inside a narrow window', () => {
    const p = placeAbove({ left: 900, top: 678, right: 960, bottom: 694 }, { left: 0, top: 690, right: 1024, bottom: 700 }, { width: 600, height: 400 });
    expect(p.left).toBeGreaterThanOrEqual(8);
    expect(p.left + p.maxWidth).toBeLessThanOrEqual(592);
    expect(p.maxWidth).toBeGreaterThanOrEqual(320 - 8);
    expect(400 - p.bottom).toBeLessThanOrEqual(678);
  });
});
