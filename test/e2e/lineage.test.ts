import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTemplate } from '../support/templates';
import { designerUi, shots, startDesigner, type Designer } from './support/designer';
import { repo } from './support/renderer-build';

/**
 * Column lineage and "explain this value" in the designer (issue #19, items 4 and 5), on the
 * CGT batch-release template. Expected marks written by hand from the template's SQL:
 * batch_release.mean_viability_pct is avg(result_value) of assay_results, whose result_value
 * is assays_checked's (a check passes rows through), which is assays' (parsed from
 * raw_assays.result): those four are direct. specs decides which spec each result is joined
 * to (assay_key) and its assay_code filters the average: indirect only, as raw_specs. Nothing
 * downstream of batch_release (the release check, the summary, the sinks) is upstream of it.
 * B0007 is REJECTED for its one viability result, S000037 = 63.6 % under the 70 % limit.
 */
let designer: Designer;
let page: Page;
const { card, cards, select, shot } = designerUi(() => page);
const PIPELINE = 'pipelines/batch_release.weir.json';
const lineageOf = (name: string) => card(name).getAttribute('data-lineage');

beforeAll(async () => {
  designer = await startDesigner({ prefix: 'weir-e2e-lineage-', workspace: { name: 'cgt', fill: (dir) => void copyTemplate('cgt-batch-release', { to: dir }) } });
  page = designer.page;
  await page.setViewportSize({ width: 1400, height: 900 });
}, 180_000);
afterAll(() => designer?.stop());

async function previewOf(name: string, timeout = 30_000): Promise<Locator> {
  await select(name);
  await page.keyboard.press('Control+p');
  await expect.poll(() => page.getByTestId('preview-node').textContent(), { timeout }).toBe(name);
  const grid = page.getByTestId('preview-grid');
  await grid
    .or(page.getByTestId('preview-error'))
    .waitFor({ timeout })
    .catch(async (e: unknown) => {
      await shot(`lineage-preview-${name}-missing`);
      throw e;
    });
  const error = page.getByTestId('preview-error');
  if (await error.count()) throw new Error(`the preview of ${name} failed: ${await error.textContent()}`);
  return grid;
}

/** docs/screenshots/<name>.png from the test's shot, when missing or asked for (WEIR_UPDATE_DOCS_SCREENSHOT=1): its timings differ at every run. */
function docsPicture(name: string): void {
  const docs = join(repo, 'docs', 'screenshots', `${name}.png`);
  if (process.env.WEIR_UPDATE_DOCS_SCREENSHOT === '1' || !existsSync(docs)) copyFileSync(join(shots, `${name}.png`), docs);
}

const header = (grid: Locator, column: string) => grid.getByTestId('grid-header').filter({ has: page.locator('.col-name', { hasText: new RegExp(`^${column}$`) }) });

describe('column lineage on the canvas', () => {
  it('opens the template', async () => {
    // The workspace's only pipeline opens by itself: clicking it while it loads would load it
    // again, and the second load clears a selection made in between.
    await page.locator(`.pipeline-item.active[data-path="${PIPELINE}"]`).waitFor({ timeout: 60_000 });
    await expect.poll(() => cards().count()).toBe(17);
  });

  it('marks where a preview column comes from, direct and indirect apart, and lists the columns per node', async () => {
    // The first preview makes every node (the warm session keeps them for the calls below).
    const grid = await previewOf('batch_release', 90_000);
    await header(grid, 'mean_viability_pct').getByTestId('grid-lineage-button').click();
    await page.getByTestId('lineage-nodes').waitFor({ timeout: 30_000 });

    expect(await lineageOf('batch_release')).toBe('origin');
    for (const name of ['assay_results', 'assays_checked', 'assays', 'raw_assays']) expect(await lineageOf(name), name).toBe('direct');
    for (const name of ['specs', 'raw_specs']) expect(await lineageOf(name), name).toBe('indirect');
    for (const name of ['release_checked', 'release_summary', 'out_batch_release', 'out_assay_results', 'out_release_summary']) expect(await lineageOf(name), name).toBe('');
    // The two styles differ on the page, not only in an attribute.
    const style = (name: string) => card(name).evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(await style('assays')).toBe('solid');
    expect(await style('specs')).toBe('dashed');
    expect(await style('release_summary')).toBe('none');

    await page.getByTestId('zoom-fit').click();
    await page.waitForTimeout(500); // the zoom animation
    await page.mouse.move(0, 0);
    await shot('lineage-upstream');
    docsPicture('lineage-upstream');

    // The panel lists the columns per node, nearest first; a node's link selects it.
    expect(await page.getByTestId('lineage-node').first().getAttribute('data-node-name')).toBe('assay_results');
    const results = page.locator('[data-testid="lineage-node"][data-node-name="assay_results"]');
    expect(await results.locator('.ln-col.direct').allTextContents()).toContain('result_value');
    expect(await page.locator('[data-testid="lineage-node"][data-node-name="specs"] .ln-col.direct').count()).toBe(0);
    await results.getByRole('button', { name: 'assay_results' }).click();
    await expect.poll(() => page.locator('[data-testid="inspector"]').getAttribute('data-node-id')).toBe(await card('assay_results').getAttribute('data-node-id'));
    await page.mouse.move(0, 0);
    await shot('lineage-upstream');

    // Downstream: what the column feeds.
    await page.getByTestId('lineage-direction').click();
    await expect.poll(() => lineageOf('release_summary')).toBe('direct');
    expect(await lineageOf('assays')).toBe('');

    // Escape takes the marks off.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('lineage-panel').count()).toBe(0);
    expect(await lineageOf('assay_results')).toBe('');
  }, 150_000);

  it('an edit of the document clears the marks', async () => {
    const grid = await previewOf('assay_results');
    await header(grid, 'result_status').getByTestId('grid-lineage-button').click();
    await expect.poll(() => lineageOf('assays_checked'), { timeout: 30_000 }).not.toBe('');
    // Selected from the panel's link (the panel covers part of the canvas).
    await page.locator('[data-testid="lineage-node"][data-node-name="assays_checked"]').getByRole('button', { name: 'assays_checked' }).click();
    await expect.poll(() => page.locator('[data-testid="inspector"]').getAttribute('data-node-id')).toBe(await card('assays_checked').getAttribute('data-node-id'));
    await page.keyboard.press('Control+d'); // duplicate: another document
    await expect.poll(() => page.getByTestId('lineage-panel').count()).toBe(0);
    expect(await lineageOf('assays_checked')).toBe('');
    await page.keyboard.press('Control+z');
    await expect.poll(() => cards().count()).toBe(17);
  }, 90_000);
});

describe('explain this value', () => {
  it('right-click a REJECTED cell: the batch traced back, its failing viability result among the assay rows', async () => {
    const grid = await previewOf('batch_release');
    await header(grid, 'batch_id').getByTestId('grid-sort').click();
    await expect.poll(() => grid.locator('.grid-row[data-row="6"] [role="gridcell"]').first().textContent(), { timeout: 30_000 }).toBe('B0007');
    const columns = await grid.getByTestId('grid-header').locator('.col-name').allTextContents();
    const cell = grid.locator('.grid-row[data-row="6"] [role="gridcell"]').nth(columns.indexOf('release_status'));
    expect(await cell.textContent()).toBe('REJECTED');
    await cell.click({ button: 'right' });
    await page.getByTestId('grid-explain').click();

    const panel = page.getByTestId('explain-panel');
    await panel.getByTestId('explain-step').first().waitFor({ timeout: 30_000 });
    expect(await panel.locator('header').textContent()).toContain('batch_release.release_status = REJECTED');
    const first = panel.locator('[data-testid="explain-step"][data-node-name="batch_release"]');
    const results = first.locator('[data-testid="explain-input"][data-node-name="assay_results"]');
    expect(await results.getByTestId('explain-count').textContent()).toBe('6 rows');
    const rows = await results.getByTestId('explain-grid').locator('.grid-row').evaluateAll((els) => els.map((r) => [...r.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent ?? '')));
    const failing = rows.filter((r) => r.includes('FAIL'));
    expect(failing).toHaveLength(1);
    expect(failing[0]).toEqual(expect.arrayContaining(['S000037', 'B0007', 'viability', '63.6']));
    // The batch's record matched; the spec, read whole by a cross join, says why it is not traced.
    expect(await first.locator('[data-testid="explain-input"][data-node-name="batches"]').getByTestId('explain-count').textContent()).toBe('1 row');
    expect(await first.locator('[data-testid="explain-input"][data-node-name="specs"]').getByTestId('explain-untraceable').textContent()).toMatch(/Cannot be traced here: no column of "specs"/);
    // Further steps: the LIMS check's rules for these rows.
    const check = panel.locator('[data-testid="explain-step"][data-node-name="assay_results"] [data-testid="explain-input"][data-node-name="assays_checked"] [data-testid="explain-check"][data-rule="percentages_within_0_100"]');
    expect(await check.getAttribute('data-failing')).toBe('0');
    await page.mouse.move(0, 0);
    await shot('lineage-explain');
    docsPicture('lineage-explain');

    // A node's link selects it; Escape closes the panel.
    await first.locator('[data-testid="explain-input"][data-node-name="assay_results"]').getByTestId('explain-node-link').click();
    await expect.poll(() => page.locator('[data-testid="inspector"]').getAttribute('data-node-id')).toBe(await card('assay_results').getAttribute('data-node-id'));
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
  }, 90_000);
});
