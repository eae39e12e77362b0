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

  it('selects an edge by a click, deletes it with Delete, and undoes it', async () => {
    // An edge whose middle is on screen and not under a card: clicked there, as a user would.
    const found = await page.evaluate(() => {
      for (const path of document.querySelectorAll<SVGPathElement>('.edge-layer .react-flow__edge-interaction')) {
        const p = path.getPointAtLength(path.getTotalLength() / 2);
        const m = path.getScreenCTM()!;
        const x = p.x * m.a + p.y * m.c + m.e;
        const y = p.x * m.b + p.y * m.d + m.f;
        if (document.elementFromPoint(x, y) === path) return { id: path.parentElement!.dataset.id!, x, y };
      }
      return null;
    });
    expect(found).not.toBeNull();
    const at = found!;
    const edge = page.locator(`.edge-layer .react-flow__edge[data-id="${at.id}"]`);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.locator('.edge-layer .react-flow__edge.selected').count()).toBe(1);
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
