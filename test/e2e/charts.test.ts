import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePipeline } from '../../shared/pipeline/parse';
import { chartSpec } from '../../shared/chart/spec';
import { chartNode } from '../../src-main/engine/run/chart';
import { testContext } from '../support/engine';
import { TEMPLATE_PIPELINE, copyTemplate } from '../support/templates';
import { designerUi, shots, startDesigner, type Designer } from './support/designer';

/**
 * The preview's Chart tab (issue #20 item 1) on the CGT batch release template: a line chart of
 * the bioreactor readings per batch, drawn by uPlot from what the engine reduced in DuckDB,
 * kept on the node, saved, and there again after a reload.
 */
let designer: Designer;
let page: Page;
const TEMPLATE = TEMPLATE_PIPELINE['cgt-batch-release'];
const { select, saveAndWait, card } = designerUi(() => page);

beforeAll(async () => {
  designer = await startDesigner({ prefix: 'weir-e2e-chart-', workspace: { name: 'cgt-charts', fill: (dir) => void copyTemplate('cgt-batch-release', { to: dir }) } });
  page = designer.page;
  await page.setViewportSize({ width: 1400, height: 900 });
  // The designer opens the template's first pipeline by itself (clicking it would open it again).
  await page.locator(`.pipeline-item.active[data-path="${TEMPLATE}"]`).waitFor({ timeout: 60_000 });
}, 180_000);

afterAll(() => designer?.stop());

const fileText = () => readFileSync(join(designer.workspace!, TEMPLATE), 'utf8');

async function openChartOf(name: string): Promise<void> {
  await select(name);
  const tab = page.getByTestId('tab-preview');
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  await expect.poll(() => page.getByTestId('preview-node').textContent(), { timeout: 60_000 }).toBe(name);
  // The preview keeps its Chart or Rows view from one node to the next.
  if ((await page.getByTestId('preview-chart-tab').getAttribute('aria-selected')) !== 'true') {
    await page.getByTestId('preview-grid').waitFor({ timeout: 60_000 });
    await page.getByTestId('preview-chart-tab').click();
  }
  await page.getByTestId('chart-plot').first().waitFor({ timeout: 60_000 });
}

describe('the Chart tab', () => {
  it('draws the readings per batch as lines, keeps the chart on the node, and shows it again after a save and a reload', async () => {
    const before = parsePipeline(fileText()).pipeline;
    await card('readings').waitFor({ timeout: 60_000 });
    await openChartOf('readings');

    // Suggested from the column types: a timestamp x, a numeric y, coloured by the batch column.
    expect(await page.getByTestId('chart-x').inputValue()).toBe('reading_at');
    expect(await page.getByTestId('chart-color').inputValue()).toBe('batch_id');
    // Dissolved oxygen instead of pH.
    await page.getByTestId('chart-y').getByLabel('do_pct').check();
    await page.getByTestId('chart-y').getByLabel('ph').uncheck();
    await expect.poll(() => page.getByTestId('chart-caption').textContent(), { timeout: 30_000 }).toMatch(/rows → [\d,]+ points/);

    // The legend lists the batches the engine finds, and a canvas is drawn with something on it.
    const spec = chartSpec.parse({ mark: 'line', x: 'reading_at', y: ['do_pct'], color: 'batch_id' });
    const engine = await chartNode(testContext(), { pipeline: before, file: join(designer.workspace!, TEMPLATE), nodeId: 'clean_readings', chart: spec, width: 600 });
    const batches = engine.facets[0]!.series.map((s) => s.color);
    expect(batches.length).toBeGreaterThan(2);
    await expect.poll(() => page.getByTestId('chart-legend-item').allTextContents(), { timeout: 30_000 }).toEqual(batches);
    const canvas = page.getByTestId('chart-plot').locator('canvas');
    expect(await canvas.count()).toBe(1);
    const painted = await canvas.evaluate((c) => {
      const el = c as HTMLCanvasElement;
      const data = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(2000);
    // A taller panel for the picture (the separator's keys), the inspector folded away.
    await page.getByRole('separator', { name: 'Resize the bottom panel' }).focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Control+Alt+b');
    await page.waitForTimeout(600);
    await expect.poll(() => page.getByTestId('chart-legend-item').count(), { timeout: 30_000 }).toBe(batches.length);
    await page.screenshot({ path: join(shots, 'chart-readings-per-batch.png') });

    // Kept on the node: the file's layout only, one line, after a save.
    await page.getByTestId('chart-keep').click();
    await expect.poll(() => page.getByTestId('chart-keep').textContent()).toBe('Kept on node');
    await saveAndWait();
    const text = fileText();
    expect(text).toContain('"clean_readings": { "x": ');
    expect(text).toMatch(/"chart": \{ "mark": "line", "x": "reading_at", "y": \["do_pct"\], "color": "batch_id" \} \}/);
    const after = parsePipeline(text).pipeline;
    expect(after.nodes).toEqual(before.nodes);
    expect(after.layout.clean_readings?.chart).toEqual(spec);

    // Reloaded: the chart kept on the node is the one shown.
    await page.reload();
    await card('readings').waitFor({ timeout: 60_000 });
    await openChartOf('readings');
    expect(await page.getByTestId('chart-y').getByLabel('do_pct').isChecked()).toBe(true);
    expect(await page.getByTestId('chart-y').getByLabel('ph').isChecked()).toBe(false);
    expect(await page.getByTestId('chart-keep').textContent()).toBe('Kept on node');
    await expect.poll(() => page.getByTestId('chart-legend-item').allTextContents(), { timeout: 30_000 }).toEqual(batches);

    // Dark theme: drawn again in the theme's colours.
    await page.getByTestId('theme').click();
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await page.getByTestId('chart-plot').first().locator('canvas').waitFor();
    await page.screenshot({ path: join(shots, 'chart-readings-dark.png') });
    await page.getByTestId('theme').click();
  }, 240_000);

  it('a drag across the line chart asks the engine for that x window, drawn in finer detail; full range goes back', async () => {
    await openChartOf('readings');
    await expect.poll(() => page.getByTestId('chart-caption').textContent(), { timeout: 30_000 }).toMatch(/rows → [\d,]+ points/);
    const answers: { window?: { lo: number; hi: number }; facets: { series: { x: number[] }[] }[] }[] = [];
    const asked: { window?: { lo: number; hi: number } }[] = [];
    const onRequest = (r: { url(): string; postDataJSON(): unknown }) => {
      if (/\/api\/pipeline\.chart$/.test(r.url())) asked.push(r.postDataJSON() as (typeof asked)[number]);
    };
    const onResponse = async (r: { url(): string; json(): Promise<unknown> }) => {
      if (/\/api\/pipeline\.chart$/.test(r.url())) {
        const body = (await r.json().catch(() => null)) as { result?: (typeof answers)[number] } | (typeof answers)[number] | null;
        if (body) answers.push('result' in body && body.result ? body.result : (body as (typeof answers)[number]));
      }
    };
    page.on('request', onRequest);
    page.on('response', onResponse);
    try {
      const plot = page.getByTestId('chart-plot').first().locator('.u-over');
      const box = (await plot.boundingBox())!;
      // Across the middle fifth of the plot.
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 8 });
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      await page.getByTestId('chart-zoom').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('chart-zoom').textContent()).toMatch(/^reading_at from \d{4}-\d\d-\d\d .+ to \d{4}-\d\d-\d\d .+full range$/);
      const zoom = asked.at(-1)?.window;
      expect(zoom).toBeDefined();
      expect(zoom!.lo).toBeLessThan(zoom!.hi);
      await expect.poll(() => answers.some((a) => a.window?.lo === zoom!.lo)).toBe(true);
      const zoomed = answers.find((a) => a.window?.lo === zoom!.lo)!;
      const xs = zoomed.facets.flatMap((f) => f.series.flatMap((s) => s.x));
      expect(xs.length).toBeGreaterThan(0);
      expect(xs.every((x) => x >= zoom!.lo && x <= zoom!.hi)).toBe(true);
      await page.screenshot({ path: join(shots, 'chart-zoomed.png') });

      // Back to every row: the next request has no window, and the note is gone.
      const before = asked.length;
      await page.getByTestId('chart-zoom-reset').click();
      await expect.poll(() => asked.length).toBeGreaterThan(before);
      expect(asked.at(-1)!.window).toBeUndefined();
      await page.getByTestId('chart-zoom').waitFor({ state: 'detached', timeout: 30_000 });
    } finally {
      page.off('request', onRequest);
      page.off('response', onResponse);
    }
  }, 180_000);
});
