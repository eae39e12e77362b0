import { describe, expect, it } from 'vitest';
import { cardsInView, fitViewport, panIntoView, toScreen, union } from '../../../src-renderer/canvas/fit';
import type { Rect } from '../../../src-renderer/canvas/paste-place';

const card = (x: number, y: number): Rect => ({ x, y, width: 220, height: 76 });
/** A row of cards 300 apart, as the template's layers are. */
const row = (n: number, y = 0): Rect[] => Array.from({ length: n }, (_, i) => card(i * 300, y));
const pane = { width: 900, height: 600 };
/** The overview map and the zoom buttons, where the canvas puts them. */
const minimap: Rect = { x: 900 - 15 - 168, y: 600 - 15 - 112, width: 168, height: 112 };
const controls: Rect = { x: 15, y: 600 - 15 - 84, width: 28, height: 84 };
const base = { pane, overlays: [minimap, controls], padding: 24, minZoom: 0.35, maxZoom: 1.1 };

const inside = (r: Rect, p: { width: number; height: number }) => r.x >= -0.5 && r.y >= -0.5 && r.x + r.width <= p.width + 0.5 && r.y + r.height <= p.height + 0.5;
const intersects = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('fitting the view', () => {
  it('shows every card, none under the overview map or the zoom buttons', () => {
    // Tall enough that centred in the whole pane, the bottom row would sit under the map.
    const cards = [...row(3, 0), ...row(3, 200), ...row(3, 400), ...row(3, 560)];
    const vp = fitViewport({ ...base, cards })!;
    for (const c of cards) {
      const s = toScreen(c, vp);
      expect(inside(s, pane)).toBe(true);
      expect(intersects(s, minimap) || intersects(s, controls)).toBe(false);
    }
  });

  it('uses the whole pane when nothing is under an overlay there', () => {
    const cards = row(2, 0);
    const vp = fitViewport({ ...base, cards })!;
    expect(vp.zoom).toBeCloseTo(1.1); // small: never larger than maxZoom
    const s = union(cards.map((c) => toScreen(c, vp)))!;
    expect(s.x + s.width / 2).toBeCloseTo(pane.width / 2); // centred across the whole width
  });

  it('never goes below the readable zoom: a large pipeline is shown from its start', () => {
    const cards = [...row(20, 0), ...row(20, 160)];
    const vp = fitViewport({ ...base, cards })!;
    expect(vp.zoom).toBe(0.35);
    const first = toScreen(cards[0]!, vp);
    expect(first.x).toBeCloseTo(24); // the sources, at the left edge, with the padding
  });

  it('at the readable zoom, keeps the selection in the middle of the view', () => {
    const cards = row(30, 0);
    const focus = cards[25]!;
    const vp = fitViewport({ ...base, cards, focus })!;
    const s = toScreen(focus, vp);
    expect(s.x + s.width / 2).toBeCloseTo(pane.width / 2);
  });

  it('counts the cards a fit shows whole: all when it fits, fewer when it stopped at the readable zoom', () => {
    const small = [...row(3, 0), ...row(3, 200)];
    expect(cardsInView(small, fitViewport({ ...base, cards: small })!, pane, base.overlays)).toBe(6);
    const large = [...row(20, 0), ...row(20, 160)];
    const vp = fitViewport({ ...base, cards: large })!;
    // At 0.35 from x = 24 a card is 77 px wide every 105 px: eight of a row's twenty end inside 900 px, both rows clear of the overlays.
    expect(vp.zoom).toBe(0.35);
    expect(cardsInView(large, vp, pane, base.overlays)).toBe(16);
    // A card cut by the pane's edge or under the overview map is not in view.
    expect(cardsInView([card(-10, 0)], { x: 0, y: 0, zoom: 1 }, pane, [])).toBe(0);
    expect(cardsInView([card(minimap.x - 100, minimap.y)], { x: 0, y: 0, zoom: 1 }, pane, [minimap])).toBe(0);
    expect(cardsInView([card(minimap.x - 100, minimap.y)], { x: 0, y: 0, zoom: 1 }, pane, [])).toBe(1);
  });

  it('gives nothing to fit for no cards', () => {
    expect(fitViewport({ ...base, cards: [] })).toBeNull();
  });
});

describe('panning a card into view', () => {
  it('leaves a card in view alone, and pans the least to bring one back (zoom kept)', () => {
    const vp = { x: 0, y: 0, zoom: 0.5 };
    expect(panIntoView(card(100, 100), vp, pane, 24)).toBeNull();
    const next = panIntoView(card(100, 1400), vp, pane, 24)!;
    expect(next.zoom).toBe(0.5);
    expect(next.x).toBe(0);
    const s = toScreen(card(100, 1400), next);
    expect(s.y + s.height).toBeCloseTo(pane.height - 24);
  });
});
