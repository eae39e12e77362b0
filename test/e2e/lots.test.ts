import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCgtLots } from '../../src-main/engine';
import { copyTemplate } from '../support/templates';
import { designerUi, startDesigner, type Designer } from './support/designer';

/** The lots tab of a partitioned pipeline (docs/lots.md), in Chromium against `weir serve`. */
let designer: Designer;
let page: Page;
const PIPELINE = 'pipelines/release_by_lot.weir.json';
const { shot } = designerUi(() => page);
const rowState = (lot: string) => page.locator(`[data-testid="lot-row"][data-lot="${lot}"]`).getAttribute('data-state');

beforeAll(async () => {
  const fill = async (dir: string) => {
    copyTemplate('cgt-batch-release', { to: dir });
    await generateCgtLots({ outDir: join(dir, 'data', 'raw'), batches: 4, readingsPerBatch: 12 });
  };
  designer = await startDesigner({ prefix: 'weir-e2e-lots-', workspace: { name: 'cgt-lots', fill } });
  page = designer.page;
}, 180_000);

afterAll(() => designer?.stop());

describe('the lots tab', () => {
  it('lists the lots with their state, runs one lot, and shows it up to date while the others stay new', async () => {
    // A plain pipeline has no lots tab.
    await page.locator('[data-testid="pipeline-item"][data-path="pipelines/batch_release.weir.json"]').click();
    await expect.poll(() => page.locator('.pipeline-item.active').getAttribute('data-path')).toBe('pipelines/batch_release.weir.json');
    expect(await page.getByTestId('tab-lots').count()).toBe(0);

    await page.locator(`[data-testid="pipeline-item"][data-path="${PIPELINE}"]`).click();
    await expect.poll(() => page.locator('.pipeline-item.active').getAttribute('data-path')).toBe(PIPELINE);
    await page.getByTestId('tab-lots').click();
    await expect.poll(() => page.getByTestId('lot-row').count(), { timeout: 30_000 }).toBe(4);
    expect(await page.getByTestId('lot-row').evaluateAll((rows) => rows.map((r) => [(r as HTMLElement).dataset.lot, (r as HTMLElement).dataset.state]))).toEqual([
      ['B0001', 'new'],
      ['B0002', 'new'],
      ['B0003', 'new'],
      ['B0004', 'new'],
    ]);
    await shot('lots-new');

    await page.locator('[data-testid="lot-row"][data-lot="B0002"] [data-testid="lot-run"]').click();
    // The run log takes the panel while the lot runs; back on the lots tab its state is up to date once it ended.
    await expect.poll(() => page.getByTestId('tab-log').getAttribute('aria-selected'), { timeout: 30_000 }).toBe('true');
    await page.getByTestId('tab-lots').click();
    await expect.poll(() => rowState('B0002'), { timeout: 90_000 }).toBe('up_to_date');
    for (const lot of ['B0001', 'B0003', 'B0004']) expect(await rowState(lot)).toBe('new');
    const color = await page.locator('[data-testid="lot-row"][data-lot="B0002"] .lot-state').evaluate((e) => getComputedStyle(e).color);
    const newColor = await page.locator('[data-testid="lot-row"][data-lot="B0001"] .lot-state').evaluate((e) => getComputedStyle(e).color);
    expect(color).not.toBe(newColor);
    expect(await page.locator('[data-testid="lot-row"][data-lot="B0002"] td').nth(2).textContent()).toMatch(/^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}$/);
    // Only that lot was published.
    const out = (lot: string) => join(designer.workspace!, 'data', 'curated', 'lots', `batch_id=${lot}`, 'batch_release.parquet');
    expect(existsSync(out('B0002'))).toBe(true);
    expect(existsSync(out('B0001'))).toBe(false);
    await shot('lots-one-run');
  });

  it("previews one lot: the picker starts on the newest lot, and another lot's rows replace them", async () => {
    const ui = designerUi(() => page);
    await ui.select('raw_assays');
    const tab = page.getByTestId('tab-preview');
    if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
    await expect.poll(() => page.getByTestId('preview-node').textContent(), { timeout: 30_000 }).toBe('raw_assays');
    const picker = page.getByTestId('preview-lot');
    // The newest lot by default (the last value), every lot listed.
    await expect.poll(() => picker.inputValue(), { timeout: 30_000 }).toBe('B0004');
    expect(await picker.locator('option').allTextContents()).toEqual(['B0001', 'B0002', 'B0003', 'B0004']);
    /** The batch_id of every row on show, once the preview of `lot` has settled. */
    const lotsOnShow = async () => {
      await expect.poll(() => page.locator('.preview.is-loading').count(), { timeout: 30_000 }).toBe(0);
      const grid = page.getByTestId('preview-grid');
      await grid.waitFor({ timeout: 30_000 });
      const rows = await grid.locator('.grid-row').evaluateAll((els) => els.map((r) => [...r.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent ?? '')));
      return [...new Set(rows.map((cells) => cells.find((c) => /^B\d{4}$/.test(c)) ?? '?'))];
    };
    await expect.poll(lotsOnShow, { timeout: 30_000 }).toEqual(['B0004']);
    await picker.selectOption('B0002');
    await expect.poll(lotsOnShow, { timeout: 30_000 }).toEqual(['B0002']);
    // Only that lot's file was read: its rows are all there is (a preview of every lot would show four lots).
    expect(await page.getByTestId('preview-count').textContent()).toMatch(/^\d+ rows?$/);
    await shot('lots-preview-one-lot');
  });
});

