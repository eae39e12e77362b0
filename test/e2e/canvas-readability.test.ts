import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigPipelineText } from '../../bench/lib/big-pipeline';
import { TEMPLATE_PIPELINE, copyTemplate } from '../support/templates';
import { designerUi, shots, startDesigner, type Designer } from './support/designer';
import { repo } from './support/renderer-build';

/**
 * The graph readable at the zoom users get (issue #15, item 3), at 1440 × 900 as the issue
 * tried it: the CGT template and a 200-node pipeline fitted to the view with every name at
 * least 11 px on screen and never clipped, no card under the overview map or the zoom buttons,
 * the selected node kept in view when the bottom panel opens (at its usual height and tall),
 * and the template after auto-layout. The pictures at fit go to docs/screenshots/.
 */
let designer: Designer;
let page: Page;

const TEMPLATE = TEMPLATE_PIPELINE['cgt-batch-release'];
const BIG = 'pipelines/big_200.weir.json';
const READABLE_PX = 11;

const { card, cards, shot } = designerUi(() => page);

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, b: Box) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;

async function openPipeline(path: string): Promise<void> {
  await page.locator(`[data-testid="pipeline-item"][data-path="${path}"]`).click();
  await expect.poll(() => page.locator('.pipeline-item.active').getAttribute('data-path')).toBe(path);
  await expect.poll(() => cards().count()).toBeGreaterThan(0);
}

/** Each card's name as drawn: its font size on screen (CSS size × the zoom), clipped or not, its text and tooltip. */
function names() {
  return page.locator('[data-testid="node-card"] .node-name').evaluateAll((els) =>
    els.map((el) => {
      const c = el.closest<HTMLElement>('.node-card')!;
      const scale = c.getBoundingClientRect().width / c.offsetWidth;
      return {
        name: c.dataset.nodeName!,
        px: parseFloat(getComputedStyle(el).fontSize) * scale,
        clipped: el.scrollWidth > el.clientWidth + 1,
        text: (el as HTMLElement).innerText.replace(/\n/g, ''),
        title: (el as HTMLElement).title,
      };
    }),
  );
}

/** Screen boxes: the canvas, the overlays on it, every card. */
async function boxes(): Promise<{ canvas: Box; overlays: Box[]; cards: { name: string; box: Box }[] }> {
  return page.evaluate(() => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const canvas = document.querySelector('[data-testid="canvas"]')!;
    return {
      canvas: box(canvas),
      overlays: [...canvas.querySelectorAll('.react-flow__panel')].map(box),
      cards: [...document.querySelectorAll<HTMLElement>('[data-testid="node-card"]')].map((c) => ({ name: c.dataset.nodeName!, box: box(c) })),
    };
  });
}

/** Every name at least READABLE_PX on screen, never clipped, and whole or with the whole name as its tooltip. */
async function expectReadableNames(): Promise<{ whole: number; total: number }> {
  const all = await names();
  expect(all.filter((n) => n.px < READABLE_PX).map((n) => `${n.name} ${n.px.toFixed(1)} px`)).toEqual([]);
  expect(all.filter((n) => n.clipped).map((n) => n.name)).toEqual([]);
  expect(all.filter((n) => n.text !== n.name && n.title.split('\n')[0] !== n.name).map((n) => n.name)).toEqual([]);
  return { whole: all.filter((n) => n.text === n.name).length, total: all.length };
}

/** No card under the overview map or the zoom buttons. */
async function expectNothingCovered(): Promise<void> {
  const b = await boxes();
  expect(b.overlays.length).toBeGreaterThanOrEqual(2);
  expect(b.cards.filter((c) => b.overlays.some((o) => intersects(c.box, o))).map((c) => c.name)).toEqual([]);
}

/** Waits until the view stops moving (a fitted view's animation). */
async function settled(): Promise<void> {
  let last = '';
  await expect
    .poll(async () => {
      const now = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
      const same = now === last;
      last = now;
      return same;
    }, { interval: 150 })
    .toBe(true);
}

/** The pictures in docs/screenshots/ change only when asked for (WEIR_UPDATE_DOCS_SCREENSHOT=1), or when missing. */
function toDocs(name: string): void {
  const to = join(repo, 'docs', 'screenshots', `${name}.png`);
  if (process.env.WEIR_UPDATE_DOCS_SCREENSHOT !== '1' && existsSync(to)) return;
  mkdirSync(join(repo, 'docs', 'screenshots'), { recursive: true });
  copyFileSync(join(shots, `${name}.png`), to);
}

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-readable-',
    workspace: {
      name: 'cgt-lab',
      async fill(dir) {
        copyTemplate('cgt-batch-release', { to: dir });
        await writeFile(join(dir, BIG), bigPipelineText(200));
      },
    },
  });
  page = designer.page;
  // The bottom panel at its usual height whenever it opens (another test may have left one).
  await page.evaluate(() => localStorage.removeItem('weir.panelHeight'));
  await page.setViewportSize({ width: 1440, height: 900 });
}, 180_000);

afterAll(() => designer?.stop());

describe('the template at fit, 1440 × 900', () => {
  it('fits every card in the canvas with names of at least 11 px, whole, none under the overview map', async () => {
    await openPipeline(TEMPLATE);
    await page.getByTestId('zoom-fit').click();
    await settled();
    const b = await boxes();
    expect(b.cards).toHaveLength(17);
    expect(b.cards.filter((c) => !inside(c.box, b.canvas)).map((c) => c.name)).toEqual([]);
    const { whole, total } = await expectReadableNames();
    expect(whole).toBe(total); // the template's names all read whole at fit
    await expectNothingCovered();
    await page.mouse.move(0, 0);
    await shot('canvas-template-fit');
    toDocs('canvas-template-fit');
  });

  it('keeps the selected node in view, and nothing under the overview map, when the bottom panel opens, also tall', async () => {
    await card('out_release_summary').locator('.node-name').click();
    await expect.poll(() => page.locator('.node-card.selected').getAttribute('data-node-name')).toBe('out_release_summary');
    await page.getByTestId('tab-preview').click();
    await expect.poll(() => page.getByTestId('tab-preview').getAttribute('aria-selected')).toBe('true');
    await settled();
    expect(await page.locator('.node-card.selected').getAttribute('data-node-name')).toBe('out_release_summary');
    let b = await boxes();
    const selected = () => b.cards.find((c) => c.name === 'out_release_summary')!.box;
    expect(inside(selected(), b.canvas)).toBe(true);
    await expectNothingCovered();
    await expectReadableNames();
    await shot('canvas-template-panel-open');

    // Made tall: the canvas is a strip, and the selected node is still in it. By the panel's own
    // handle, or by the keyboard on a resizable frame's separator (as a user may, too).
    const separator = page.getByRole('separator', { name: 'Resize the bottom panel' });
    if (await separator.count()) {
      await separator.focus();
      for (let i = 0; i < 40 && (await boxes()).canvas.height >= 240; i++) await page.keyboard.press('ArrowUp');
    } else {
      const h = (await page.locator('.panel-resizer').boundingBox())!;
      await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
      await page.mouse.down();
      await page.mouse.move(h.x + h.width / 2, 180, { steps: 6 });
      await page.mouse.up();
    }
    await settled();
    b = await boxes();
    expect(b.canvas.height).toBeLessThan(300);
    expect(inside(selected(), b.canvas)).toBe(true);
    await expectReadableNames();
    await shot('canvas-template-panel-tall');
    await page.getByRole('button', { name: 'Close panel' }).click();
    await page.evaluate(() => localStorage.removeItem('weir.panelHeight'));
  });

  it('lays the template out with ELK, one undo step, and it still fits readable', async () => {
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    const before = await card('assays_checked').boundingBox();
    // Counts the workers the page starts: ELK runs in one, off the page's thread.
    await page.evaluate(() => {
      const w = window as unknown as { Worker: typeof Worker; startedWorkers: number };
      const Base = w.Worker;
      w.startedWorkers = 0;
      w.Worker = class extends Base {
        constructor(...args: ConstructorParameters<typeof Worker>) {
          super(...args);
          w.startedWorkers++;
        }
      };
    });
    await page.getByTestId('auto-layout').click();
    await expect.poll(async () => JSON.stringify(await card('assays_checked').boundingBox())).not.toBe(JSON.stringify(before));
    await settled();
    const b = await boxes();
    expect(b.cards.filter((c) => !inside(c.box, b.canvas)).map((c) => c.name)).toEqual([]);
    // ELK's layers, not the fallback's: a card's width plus 64 between layers (the barycentre
    // sweep, used should ELK fail to load, puts them 100 apart).
    const at = (name: string) => b.cards.find((c) => c.name === name)!.box;
    const scale = at('batches').width / 220;
    expect((at('batches').x - at('raw_batches').x) / scale).toBeCloseTo(284, -1);
    expect(await page.evaluate(() => (window as unknown as { startedWorkers: number }).startedWorkers)).toBe(1);
    await expectReadableNames();
    await expectNothingCovered();
    await page.mouse.move(0, 0);
    await shot('canvas-template-auto-layout');
    toDocs('canvas-template-auto-layout');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('saved').count()).toBe(1);
  });
});

describe('a 200-node pipeline at fit', () => {
  it('is shown from its start at a zoom where every name reads, the overview map showing the rest', async () => {
    await openPipeline(BIG);
    await expect.poll(() => cards().count()).toBe(200);
    await page.getByTestId('zoom-fit').click();
    await settled();
    await expectReadableNames();
    // (Cards continue under the overview map here: the pipeline goes on past every edge of the view.)
    // The first source is in view, at the top left.
    const b = await boxes();
    expect(inside(b.cards.find((c) => c.name === 'source_0')!.box, b.canvas)).toBe(true);
    await page.mouse.move(0, 0);
    await shot('canvas-200-nodes-fit');
    toDocs('canvas-200-nodes-fit');
  });
});
