import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigPipelineText } from '../../bench/lib/big-pipeline';
import { parsePipeline } from '../../shared/pipeline/parse';
import { designerUi, startDesigner, writeEmptyWorkspace, type Designer } from './support/designer';

/**
 * A pipeline big enough (400 nodes) for the canvas's large-pipeline mode: edges drawn by the
 * canvas's own edge layer (one path for the curves, a transparent stroke per edge for
 * clicks) and, zoomed out, compact cards whose long names are shortened without clipping.
 * Its speed is figure 7 of `npm run bench`; this checks that it still works.
 */
const NODES = 400;
const LONG = 'release_summary_for_every_batch_of_the_quarter';
let designer: Designer;
let page: Page;
let edgeCount = 0;
const { cards, shot } = designerUi(() => page);
const hits = () => page.locator('.edge-layer .react-flow__edge');

beforeAll(async () => {
  // The last node of the first chain feeds nothing, so a long name breaks no SQL.
  const text = bigPipelineText(NODES).replace('"step_0_19"', JSON.stringify(LONG));
  edgeCount = parsePipeline(text, 'big').pipeline.nodes.reduce((n, node) => n + node.inputs.length, 0);
  designer = await startDesigner({
    prefix: 'weir-e2e-large-',
    workspace: {
      name: 'large',
      async fill(dir) {
        await writeEmptyWorkspace(dir);
        await mkdir(join(dir, 'pipelines'), { recursive: true });
        await writeFile(join(dir, 'pipelines', 'big.weir.json'), text);
      },
    },
  });
  page = designer.page;
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="node-card"]').length === n, NODES, { timeout: 60_000 });
}, 180_000);

afterAll(() => designer?.stop());

describe('a 400-node pipeline on the canvas', () => {
  it('draws every edge in the edge layer, one curve and one arrow each, and compact cards shorten long names', async () => {
    expect(await hits().count()).toBe(edgeCount);
    const curves = await page.locator('.edge-layer .edge-bundle').getAttribute('d');
    const arrows = await page.locator('.edge-layer .edge-bundle-arrows').getAttribute('d');
    expect(curves?.match(/M/g)?.length).toBe(edgeCount);
    expect(arrows?.match(/M/g)?.length).toBe(edgeCount);

    // Opened fitted to the view, zoomed far out: compact cards.
    await expect.poll(() => page.locator('.node-card.compact').count()).toBe(NODES);
    const name = page.locator(`[data-testid="node-card"][data-node-name="${LONG}"] .node-name`);
    const shown = (await name.textContent()) ?? '';
    expect(shown.endsWith('…')).toBe(true);
    expect(LONG.startsWith(shown.slice(0, -1))).toBe(true);
    expect(await name.getAttribute('title')).toBe(LONG);
    // Shortened to the card's width, not clipped: the text is no wider than its box.
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    await shot('40-large-canvas');
  });

  it('keeps the ports plain elements until the pointer is over their card, then React Flow handles that connect', async () => {
    // At rest no port is a React Flow handle (each handle is a store subscriber on every pan frame).
    const ports = page.locator('[data-testid="node-card"] .react-flow__handle');
    const stubs = page.locator('[data-testid="node-card"] .react-flow__handle[data-stub]');
    const total = await ports.count();
    expect(total).toBeGreaterThan(NODES);
    expect(await stubs.count()).toBe(total);
    // The pointer over a card makes its ports handles; drawn from its output to the next card's input, an edge is made.
    const from = page.locator('[data-testid="node-card"][data-node-name="step_5_3"]');
    const to = page.locator('[data-testid="node-card"][data-node-name="step_5_7"]');
    const centre = async (l: ReturnType<Page['locator']>) => {
      const b = (await l.boundingBox())!;
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    };
    const a = await centre(from.locator('.react-flow__handle.source'));
    await page.mouse.move(a.x, a.y, { steps: 3 });
    await expect.poll(() => from.locator('.react-flow__handle:not([data-stub])').count()).toBe(2);
    const b = await centre(to.locator('.react-flow__handle.target'));
    await page.mouse.down();
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await page.mouse.move(b.x, b.y, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => hits().count()).toBe(edgeCount + 1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => hits().count()).toBe(edgeCount);
    await page.mouse.move(5, 5);
  });

  it('starts a connection from a press that lands on a stand-in port before its card woke', async () => {
    // A quick flick and press, or a busy machine: the press arrives before the render that
    // pointer-enter asks for. Dispatched in the page, the press comes with no pointer-enter at all.
    const from = page.locator('[data-testid="node-card"][data-node-name="step_9_2"]');
    await expect.poll(() => from.locator('.react-flow__handle.source[data-stub]').count()).toBe(1);
    const made = await page.evaluate(() => {
      const card = (name: string) => document.querySelector<HTMLElement>(`[data-testid="node-card"][data-node-name="${name}"]`)!;
      const centre = (el: Element) => {
        const r = el.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      };
      const stub = card('step_9_2').querySelector('.react-flow__handle.source[data-stub]')!;
      const a = centre(stub);
      const b = centre(card('step_9_8').querySelector('.react-flow__handle.target')!);
      const fire = (type: string, target: EventTarget, x: number, y: number) =>
        target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, button: 0, buttons: type === 'mouseup' ? 0 : 1 }));
      fire('mousedown', stub, a.x, a.y);
      for (let i = 1; i <= 10; i++) fire('mousemove', document, a.x + ((b.x - a.x) * i) / 10, a.y + ((b.y - a.y) * i) / 10);
      fire('mouseup', document, b.x, b.y);
      return { x: a.x, y: a.y };
    });
    expect(made.x).toBeGreaterThan(0);
    await expect.poll(() => hits().count()).toBe(edgeCount + 1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => hits().count()).toBe(edgeCount);
  });

  it("shows the part in view as the overview map's window, which follows a pan", async () => {
    /** The window's box in map pixels, and where the view says it must be (the viewBox shown "xMidYMid meet"). */
    const windowAndView = () =>
      page.evaluate(() => {
        const svg = document.querySelector<SVGSVGElement>('[data-testid="overview-map"] svg')!;
        const win = document.querySelector<HTMLElement>('[data-testid="overview-map"] .overview-window')!;
        const pane = document.querySelector<HTMLElement>('.react-flow__pane')!;
        const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform)!;
        const [tx, ty, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
        const vb = svg.viewBox.baseVal;
        const s = svg.getBoundingClientRect();
        const fit = Math.min(s.width / vb.width, s.height / vb.height);
        const view = { x: -tx / zoom, y: -ty / zoom, w: pane.clientWidth / zoom, h: pane.clientHeight / zoom };
        const r = win.getBoundingClientRect();
        return {
          shown: { x: r.x - s.x, y: r.y - s.y, w: r.width, h: r.height },
          expected: { x: (s.width - vb.width * fit) / 2 + (view.x - vb.x) * fit, y: (s.height - vb.height * fit) / 2 + (view.y - vb.y) * fit, w: view.w * fit, h: view.h * fit },
        };
      });
    const near = (a: Record<string, number>, b: Record<string, number>) => Object.keys(b).every((k) => Math.abs(a[k]! - b[k]!) < 1);
    const before = await windowAndView();
    expect(near(before.shown, before.expected), JSON.stringify(before)).toBe(true);
    expect(before.shown.w).toBeGreaterThan(4);

    // Drag the background (pan): the window follows the view.
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    const spot = await page.evaluate(() => {
      const p = document.querySelector('.react-flow__pane')!;
      const b = p.getBoundingClientRect();
      for (let y = b.top + 10; y < b.bottom - 10; y += 7) for (let x = b.left + 10; x < b.right - 10; x += 7) if (document.elementFromPoint(x, y) === p) return { x, y };
      return null;
    });
    expect(spot, `no empty spot in ${JSON.stringify(pane)}`).not.toBeNull();
    await page.mouse.move(spot!.x, spot!.y);
    await page.mouse.down();
    await page.mouse.move(spot!.x - 60, spot!.y - 40, { steps: 6 });
    await page.mouse.up();
    const after = await windowAndView();
    expect(near(after.shown, after.expected), JSON.stringify(after)).toBe(true);
    expect(after.shown.x).toBeGreaterThan(before.shown.x);
    expect(after.shown.y).toBeGreaterThan(before.shown.y);
    await page.getByTestId('zoom-fit').click();
  });

  it('selects an edge by a click, deletes it with Delete, and undoes it', async () => {
    // An edge whose middle is on screen and not under a card: clicked there, as a user would.
    // Found again if the click missed: the test before pans the canvas, and a view still
    // settling moves the edge between finding it and clicking it (seen in a loaded run).
    const findEdge = () =>
      page.evaluate(() => {
        for (const path of document.querySelectorAll<SVGPathElement>('.edge-layer .react-flow__edge-interaction')) {
          const p = path.getPointAtLength(path.getTotalLength() / 2);
          const m = path.getScreenCTM()!;
          const x = p.x * m.a + p.y * m.c + m.e;
          const y = p.x * m.b + p.y * m.d + m.f;
          if (document.elementFromPoint(x, y) === path) return { id: path.parentElement!.dataset.id!, x, y };
        }
        return null;
      });
    const selectedEdges = () => page.locator('.edge-layer .react-flow__edge.selected').count();
    let at: { id: string; x: number; y: number } | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      at = await findEdge();
      expect(at).not.toBeNull();
      await page.mouse.click(at!.x, at!.y);
      const hit = await expect
        .poll(selectedEdges, { timeout: 3000 })
        .toBe(1)
        .then(
          () => true,
          () => false,
        );
      if (hit) break;
      await page.keyboard.press('Escape');
    }
    expect(await selectedEdges()).toBe(1);
    const edge = page.locator(`.edge-layer .react-flow__edge[data-id="${at!.id}"]`);
    expect(await edge.getAttribute('class')).toContain('selected');
    // Drawn apart from the bundle while selected, with its arrow.
    expect(await edge.locator('.react-flow__edge-path').count()).toBe(1);
    expect((await page.locator('.edge-layer .edge-bundle').getAttribute('d'))?.match(/M/g)?.length).toBe(edgeCount - 1);

    await page.keyboard.press('Delete');
    await expect.poll(() => hits().count()).toBe(edgeCount - 1);
    expect(await edge.count()).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => hits().count()).toBe(edgeCount);
    await shot('41-large-canvas-edge-restored');
  });
});
