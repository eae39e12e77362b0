import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/canonical';
import type { Pipeline } from '../../shared/pipeline/schema';
import { TEMPLATE_PIPELINE, copyTemplate } from '../support/templates';
import { designerUi, startDesigner, type Designer } from './support/designer';

/**
 * The canvas by keyboard and for assistive technology (issue #15, items 10 and 14): Tab walks
 * the cards and then the edges, each with a visible focus ring; edges are named by their
 * nodes' names; a node is connected to another from a list (C); copies are pasted where they
 * can be seen, with the edges among them. The axe-core sweep of the whole app is
 * accessibility.test.ts.
 */
let designer: Designer;
let page: Page;

const TEMPLATE = TEMPLATE_PIPELINE['cgt-batch-release'];
const WIRE = 'pipelines/wire.weir.json';
const { card, cards, shot } = designerUi(() => page);

const wire: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'wire',
  params: {},
  nodes: [
    { id: 'lots', name: 'lots', kind: 'seed', inputs: [], config: { columns: [{ name: 'lot', type: 'VARCHAR' }], rows: [['L1']] } },
    { id: 'lot_counts', name: 'lot_counts', kind: 'sql', inputs: [], config: { sql: ['select count(*) as n', 'from input'] } },
    { id: 'other', name: 'other', kind: 'sql', inputs: [], config: { sql: ['select 1 as x'] } },
  ],
  layout: { lots: { x: 0, y: 0 }, lot_counts: { x: 300, y: 0 }, other: { x: 300, y: 160 } },
};

async function openPipeline(path: string): Promise<void> {
  await page.locator(`[data-testid="pipeline-item"][data-path="${path}"]`).click();
  await expect.poll(() => page.locator('.pipeline-item.active').getAttribute('data-path')).toBe(path);
  await expect.poll(() => cards().count()).toBeGreaterThan(0);
}

/** What has the keyboard focus: a card (by node name), an edge stop (by its label), or something else. */
function focused(): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return 'none';
    const node = el.closest<HTMLElement>('.react-flow__node');
    if (node) return `node:${node.querySelector<HTMLElement>('[data-testid="node-card"]')?.dataset.nodeName}`;
    if (el.dataset.edgeId) return `edge:${el.getAttribute('aria-label')}`;
    return `other:${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`;
  });
}

/** Focuses the last control before the canvas (the palette's last item), as a user tabbing through the app reaches it. */
async function focusBeforeCanvas(): Promise<void> {
  await page.locator('.palette-item').last().focus();
  // Whatever else of the sidebar follows the palette, tab on until the canvas.
  for (let i = 0; i < 20 && !(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="canvas"]'))); i++) await page.keyboard.press('Tab');
}

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-keyboard-',
    workspace: {
      name: 'cgt-lab',
      async fill(dir) {
        copyTemplate('cgt-batch-release', { to: dir });
        await writeFile(join(dir, WIRE), serializePipeline(wire));
      },
    },
  });
  page = designer.page;
  await page.setViewportSize({ width: 1440, height: 900 });
}, 180_000);

afterAll(() => designer?.stop());

describe('the canvas by keyboard', () => {
  it('tabs through every card first, then every edge, named by node names, each with a visible focus ring', async () => {
    await openPipeline(TEMPLATE);
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await focusBeforeCanvas();
    const order: string[] = [await focused()];
    for (let i = 0; i < 60 && order[order.length - 1]!.match(/^(node|edge):/); i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    const inCanvas = order.filter((f) => /^(node|edge):/.test(f));
    const nodes = inCanvas.filter((f) => f.startsWith('node:'));
    const edges = inCanvas.filter((f) => f.startsWith('edge:'));
    expect(nodes).toHaveLength(17);
    expect(new Set(nodes).size).toBe(17);
    expect(edges).toHaveLength(await page.locator('.react-flow__edge').count());
    expect(edges).toHaveLength(18);
    expect(inCanvas).toEqual([...nodes, ...edges]); // every card before any edge
    expect(edges).toContain('edge:Edge from raw_batches to batches');
    expect(edges).toContain('edge:Edge from assay_results to batch_release');
    // React Flow's own edges carry the same names (ids are internal).
    expect(await page.locator('.react-flow__edge[data-id="src_batches->clean_batches"]').getAttribute('aria-label')).toBe('Edge from raw_batches to batches');
    expect(await page.locator('.react-flow__node[data-id="clean_batches"]').getAttribute('aria-label')).toBe('batches, SQL');

    // A card focused by keyboard has a ring around it.
    await focusBeforeCanvas();
    expect(await focused()).toMatch(/^node:/);
    const ring = await page.evaluate(() => {
      const c = document.activeElement!.querySelector('.node-card')!;
      const s = getComputedStyle(c);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), scale: c.getBoundingClientRect().width / (c as HTMLElement).offsetWidth };
    });
    expect(ring.style).toBe('solid');
    expect(ring.width * ring.scale).toBeGreaterThanOrEqual(2);
    await shot('canvas-focus-node');

    // An edge focused by keyboard: a ring at its middle, and the edge in the accent colour.
    for (let i = 0; i < 17; i++) await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^edge:/);
    const edge = await page.evaluate(() => {
      const stop = document.activeElement as HTMLElement;
      const path = document.querySelector(`.react-flow__edge[data-id="${CSS.escape(stop.dataset.edgeId!)}"] .react-flow__edge-path`)!;
      const accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim();
      const probe = document.createElement('span');
      probe.style.color = accent;
      document.body.append(probe);
      const accentRgb = getComputedStyle(probe).color;
      probe.remove();
      return { opacity: getComputedStyle(stop).opacity, border: getComputedStyle(stop).borderTopWidth, stroke: getComputedStyle(path).stroke, accentRgb };
    });
    expect(edge.opacity).toBe('1');
    expect(parseFloat(edge.border)).toBeGreaterThan(0);
    expect(edge.stroke).toBe(edge.accentRgb);
    await shot('canvas-focus-edge');

    // Enter selects the focused edge; Delete removes it; undo brings it back.
    const count = await page.locator('.react-flow__edge').count();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.react-flow__edge.selected').count()).toBe(1);
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(count - 1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(count);
  });

  it('connects two nodes from the keyboard: focus the source, C, pick the target from a list', async () => {
    await openPipeline(WIRE);
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await focusBeforeCanvas();
    expect(await focused()).toBe('node:lots');
    await page.keyboard.press('Enter'); // selects it, as React Flow does for a focused node
    await expect.poll(() => page.locator('.node-card.selected').getAttribute('data-node-name')).toBe('lots');
    await page.keyboard.press('c');
    const picker = page.getByTestId('connect-picker');
    await picker.waitFor();
    expect(await picker.getAttribute('aria-label')).toBe('Connect lots to…');
    // Only nodes the edge would be accepted into are offered (not lots itself).
    expect(await picker.locator('[role="option"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.nodeName))).toEqual(['lot_counts', 'other']);
    await page.keyboard.type('count');
    expect(await picker.locator('[role="option"]').count()).toBe(1);
    await shot('canvas-connect-picker');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.react-flow__edge[aria-label="Edge from lots to lot_counts"]').count()).toBe(1);
    expect(await focused()).toBe('node:lots'); // back where the user was
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(0);

    // Escape closes the list without connecting.
    await card('lots').locator('.node-name').click();
    await page.keyboard.press('c');
    await picker.waitFor();
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    expect(await page.locator('.react-flow__edge').count()).toBe(0);
  });
});

describe('copy and paste on the canvas', () => {
  it('pastes copies where they can be seen, clear of every card, keeping the edges among them', async () => {
    await openPipeline(TEMPLATE);
    await page.getByTestId('zoom-fit').click();
    await page.waitForTimeout(400); // the fit's animation
    await card('batches').locator('.node-name').click();
    await card('assays_checked').locator('.node-name').click({ modifiers: ['Control'] });
    await expect.poll(() => page.locator('.node-card.selected').count()).toBe(2);
    const edgesBefore = await page.locator('.react-flow__edge').count();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => cards().count()).toBe(19);
    await card('batches_1').waitFor();
    await card('assays_checked_1').waitFor();
    // The edge between the copies is kept (the inputs outside the copy are not).
    await expect.poll(() => page.locator('.react-flow__edge[aria-label="Edge from batches_1 to assays_checked_1"]').count()).toBe(1);
    expect(await page.locator('.react-flow__edge').count()).toBe(edgesBefore + 1);
    await page.waitForTimeout(300); // a pan to show the copies, if they were out of view

    const placed = async () =>
      page.evaluate(() => {
        const canvas = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
        return [...document.querySelectorAll<HTMLElement>('[data-testid="node-card"]')].map((c) => {
          const r = c.getBoundingClientRect();
          return { name: c.dataset.nodeName!, x: r.x, y: r.y, w: r.width, h: r.height, visible: r.x >= canvas.x && r.y >= canvas.y && r.right <= canvas.right && r.bottom <= canvas.bottom };
        });
      });
    const clearOfAll = (all: Awaited<ReturnType<typeof placed>>, names: string[]) =>
      names.flatMap((n) => {
        const a = all.find((c) => c.name === n)!;
        return all.filter((b) => b.name !== n && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).map((b) => `${n} covers ${b.name}`);
      });
    let all = await placed();
    expect(clearOfAll(all, ['batches_1', 'assays_checked_1'])).toEqual([]);
    expect(all.filter((c) => c.name.endsWith('_1') && !c.visible).map((c) => c.name)).toEqual([]);
    await shot('canvas-pasted');

    // Duplicate (Ctrl+D) of the copies: below them, clear of everything again.
    await page.keyboard.press('Control+d');
    await expect.poll(() => cards().count()).toBe(21);
    await page.waitForTimeout(300);
    all = await placed();
    expect(clearOfAll(all, ['batches_2', 'assays_checked_2'])).toEqual([]);
    expect(all.filter((c) => c.name.endsWith('_2') && !c.visible).map((c) => c.name)).toEqual([]);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => cards().count()).toBe(17);
  });
});
