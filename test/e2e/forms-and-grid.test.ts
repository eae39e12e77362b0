import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/canonical';
import type { Pipeline } from '../../shared/pipeline/schema';
import { designerUi, shots, startDesigner, writeEmptyWorkspace, type Designer } from './support/designer';
import { repo } from './support/renderer-build';
import { sqlValue, waitForSqlEditor } from './support/monaco';

/**
 * Issue #15, items 11 and 13, end to end (Chromium against `weir serve`): forms that show
 * what a function or format needs, join keys filled from the inputs' common column; the
 * preview grid's number formatting, raw values on hover and copy, sorting and filtering by
 * header (done by DuckDB over every row), and the profile's bins and labelled top values.
 */
let designer: Designer;
let page: Page;
const FILE = join('pipelines', 'lab.weir.json');

const pipeline: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'lab',
  params: {},
  nodes: [
    {
      id: 'batches',
      name: 'batches',
      kind: 'seed',
      inputs: [],
      config: {
        columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'site', type: 'VARCHAR' }, { name: 'line', type: 'INTEGER' }],
        rows: [['B0141', 'BOS', 1], ['B0142', 'BOS', 1], ['B0143', 'SFO', 1]],
      },
    },
    {
      id: 'assays',
      name: 'assays',
      kind: 'seed',
      inputs: [],
      config: {
        columns: [{ name: 'assay_id', type: 'INTEGER' }, { name: 'batch_id', type: 'VARCHAR' }, { name: 'site', type: 'VARCHAR' }, { name: 'viability', type: 'DOUBLE' }],
        rows: [[1, 'B0141', 'BOS', 2.1792499999999992], [2, 'B0142', 'BOS', 91.5], [3, 'B0143', 'SFO', 64.25]],
      },
    },
    { id: 'stats', name: 'stats', kind: 'aggregate', inputs: ['assays'], config: { group_by: ['batch_id'], aggregates: [{ fn: 'avg', column: 'viability' }] } },
    { id: 'joined', name: 'joined', kind: 'join', inputs: ['batches', 'assays'], config: { type: 'left', on: [], select: 'all' } },
    { id: 'files', name: 'files', kind: 'file_source', inputs: [], config: { path: 'data/lots.parquet', format: 'parquet' } },
    {
      id: 'readings',
      name: 'readings',
      kind: 'sql',
      inputs: [],
      config: {
        sql: [
          'select i as id,',
          '  (i * 1234.5)::BIGINT as volume_ul,',
          "  case when i % 3 = 0 then 'Boston' when i % 3 = 1 then 'SFO' else 'bos-2' end as site",
          'from range(3000) t(i)',
        ],
      },
    },
  ],
  layout: {
    batches: { x: 0, y: 0 },
    assays: { x: 0, y: 160 },
    stats: { x: 280, y: 240 },
    joined: { x: 280, y: 60 },
    files: { x: 0, y: 320 },
    readings: { x: 280, y: 400 },
  },
};

const { shot, select } = designerUi(() => page);
const inspector = () => page.getByTestId('inspector');
/** The form fields of the first aggregate item, by key. */
/** A field of a list item: `data-field` holds its whole path (`aggregations.0.column`). */
const itemField = (key: string) => inspector().locator(`.list-item [data-field$=".${key}"]`);

async function waitForPreviewOf(name: string): Promise<Locator> {
  await expect.poll(() => page.getByTestId('preview-node').textContent(), { timeout: 30_000 }).toBe(name);
  const grid = page.getByTestId('preview-grid');
  await grid.waitFor({ timeout: 30_000 });
  await expect.poll(() => page.locator('.preview.is-loading').count(), { timeout: 30_000 }).toBe(0);
  return grid;
}

/** The cells of the rendered rows, in row order. */
const cells = (grid: Locator) =>
  grid.locator('.grid-row').evaluateAll((rows) =>
    rows
      .sort((a, b) => Number((a as HTMLElement).dataset.row) - Number((b as HTMLElement).dataset.row))
      .map((r) => [...r.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent ?? '')),
  );

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-forms-',
    workspace: {
      name: 'lab',
      fill: async (dir) => {
        await writeEmptyWorkspace(dir);
        await writeFile(join(dir, FILE), serializePipeline(pipeline));
      },
    },
    ready: (p) => designerUi(() => p).card('readings').waitFor({ timeout: 30_000 }),
  });
  page = designer.page;
}, 180_000);

afterAll(() => designer?.stop());

describe('forms driven by what each function and format needs', () => {
  it('an avg aggregate asks for its column (required) and shows no expression, order or separator', async () => {
    await select('stats');
    await itemField('fn').waitFor();
    expect(await itemField('column').getAttribute('data-need')).toBe('required');
    expect(await itemField('column').locator('.field-label').textContent()).not.toContain('(optional)');
    for (const hidden of ['expression', 'order_by', 'separator']) expect(await itemField(hidden).count(), hidden).toBe(0);
    expect(await itemField('as').locator('.field-label').textContent()).toContain('(optional)');
    await shot('60-form-aggregate-avg');

    // string_agg takes an order and a separator, both optional.
    await itemField('fn').locator('select').selectOption('string_agg');
    await itemField('separator').waitFor();
    expect(await itemField('order_by').getAttribute('data-need')).toBe('optional');
    await itemField('separator').locator('input').fill('; ');
    await expect.poll(() => sqlValue(page, 'stats', 'generated')).toContain("string_agg(\"viability\", '; ' ORDER BY \"viability\")");
    // count: the column becomes optional, and the separator goes with string_agg.
    await itemField('fn').locator('select').selectOption('count');
    await expect.poll(() => itemField('separator').count()).toBe(0);
    expect(await itemField('column').locator('.field-label').textContent()).toContain('(optional)');
    await expect.poll(() => sqlValue(page, 'stats', 'generated')).toContain('count("viability")');
  });

  it("a join's keys are filled from the inputs' common key, and the common columns are offered", async () => {
    await select('joined');
    await waitForSqlEditor(page, 'joined', 'generated');
    await expect.poll(() => sqlValue(page, 'joined', 'generated'), { timeout: 30_000 }).toContain('ON batches."batch_id" = assays."batch_id"');
    const chips = page.getByTestId('key-suggestions').locator('.column-pick');
    await expect.poll(() => chips.allTextContents()).toEqual(['batch_id', 'site']);
    expect(await chips.first().getAttribute('aria-pressed')).toBe('true');
    await shot('61-form-join-keys');
    // The fill is an edit like any other: undo takes it back, and it is not filled again.
    await page.getByTestId('undo').click();
    await inspector().getByTestId('lowcode-issues').waitFor();
    await page.waitForTimeout(600);
    expect(await inspector().getByTestId('lowcode-issues').textContent()).toMatch(/on: expected at least one pair/);
    await page.getByTestId('redo').click();
    await expect.poll(() => sqlValue(page, 'joined', 'generated')).toContain('ON batches."batch_id" = assays."batch_id"');
    // One more key with a click.
    await chips.nth(1).click();
    await expect.poll(() => sqlValue(page, 'joined', 'generated')).toContain('AND batches."site" = assays."site"');
  });

  it('a parquet file source offers no CSV options; a CSV one does', async () => {
    await select('files');
    const format = inspector().locator('[data-field="format"] select');
    await format.waitFor();
    expect(await inspector().getByRole('button', { name: /CSV options/ }).count()).toBe(0);
    await shot('62-form-parquet-source');
    await format.selectOption('csv');
    await inspector().getByRole('button', { name: /CSV options/ }).waitFor();
  });
});

describe('the preview grid', () => {
  it('formats numbers by type, with the raw value on hover and on copy', async () => {
    await select('assays');
    await page.keyboard.press('Control+p');
    const grid = await waitForPreviewOf('assays');
    expect((await cells(grid))[0]).toEqual(['1', 'B0141', 'BOS', '2.17925']);
    const cell = grid.locator('.grid-row[data-row="0"] [role="gridcell"]').nth(3);
    expect(await cell.getAttribute('title')).toBe('2.1792499999999992');
    // A type mark per column.
    expect(await grid.getByTestId('grid-header').evaluateAll((hs) => hs.map((h) => (h as HTMLElement).dataset.typeKind))).toEqual(['integer', 'text', 'text', 'decimal']);
    // Copying a selection of cells gives the raw values, tab-separated.
    const copied = await grid.evaluate((el) => {
      const cellsOf = (row: number) => el.querySelectorAll(`.grid-row[data-row="${row}"] [role="gridcell"]`);
      const range = document.createRange();
      range.setStart(cellsOf(0)[2]!, 0);
      range.setEnd(cellsOf(1)[3]!, 1);
      const sel = window.getSelection()!;
      sel.removeAllRanges();
      sel.addRange(range);
      const data = new DataTransfer();
      el.dispatchEvent(new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }));
      sel.removeAllRanges();
      return data.getData('text/plain');
    });
    expect(copied).toBe('BOS\t2.1792499999999992\nBOS\t91.5');
    // Ctrl+X over selected cells is about the text, not the canvas's selected node (a cut would delete it).
    await grid.evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el.querySelector('.grid-row[data-row="0"] [role="gridcell"]')!);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
    });
    await page.keyboard.press('Control+x');
    await page.waitForTimeout(300);
    expect(await designerUi(() => page).card('assays').count()).toBe(1);
    await page.evaluate(() => window.getSelection()?.removeAllRanges());
  });

  it('sorts by a header click and filters by column, in DuckDB over every row', async () => {
    await select('readings');
    const grid = await waitForPreviewOf('readings');
    expect(await page.getByTestId('preview-count').textContent()).toBe('first 1,000 rows');
    const header = (name: string) => grid.getByTestId('grid-header').filter({ has: page.locator('.col-name', { hasText: new RegExp(`^${name}$`) }) });
    // Ascending, then descending: the largest id of all 3,000 rows comes first, grouped.
    await header('id').getByTestId('grid-sort').click();
    await expect.poll(() => header('id').getAttribute('aria-sort')).toBe('ascending');
    await header('id').getByTestId('grid-sort').click();
    await expect.poll(async () => (await cells(grid))[0]?.[0], { timeout: 30_000 }).toBe('2,999');
    expect(await header('id').getAttribute('aria-sort')).toBe('descending');
    expect((await cells(grid))[0]).toEqual(['2,999', '3,702,266', 'bos-2']);

    // Filter: site contains "bos" (any case), so Boston and bos-2 rows, still sorted.
    await header('site').getByTestId('grid-filter-button').click();
    await page.getByTestId('grid-filter-op').selectOption('contains');
    await page.getByTestId('grid-filter-value').fill('BOS');
    await page.getByTestId('grid-filter-value').press('Enter');
    await expect.poll(() => page.getByTestId('filter-chip').allTextContents()).toEqual(['site contains BOS✕']);
    await expect.poll(() => page.getByTestId('preview-count').textContent(), { timeout: 30_000 }).toBe('first 1,000 rows that match');
    await expect.poll(async () => (await cells(grid))[1]?.[0], { timeout: 30_000 }).toBe('2,997');
    const shown = await cells(grid);
    expect(new Set(shown.map((r) => r[2]))).toEqual(new Set(['Boston', 'bos-2']));
    expect((await cells(grid))[0]).toEqual(['2,999', '3,702,266', 'bos-2']);
    await page.getByTestId('count-rows').click();
    await expect.poll(() => page.getByTestId('preview-count').textContent(), { timeout: 30_000 }).toBe('2,000 rows match');
    await shot('63-grid-sorted-filtered');
    await page.getByTestId('clear-filters').click();
    await expect.poll(() => page.getByTestId('filter-chip').count()).toBe(0);
    await expect.poll(() => page.getByTestId('preview-count').textContent(), { timeout: 30_000 }).toBe('first 1,000 rows');
  });

  it('profiles with sensible bins, says when a column holds one value, and labels top values', async () => {
    await select('batches');
    await waitForPreviewOf('batches');
    await page.getByTestId('preview-profile-tab').click();
    const profile = page.getByTestId('profile');
    await profile.waitFor({ timeout: 30_000 });
    const column = (name: string) => profile.locator(`[data-testid="profile-column"][data-column="${name}"]`);
    await expect.poll(() => column('line').getByTestId('profile-single').textContent()).toBe('one value: 1 (every row)');
    expect(await profile.getByText(/\b1 bins\b/).count()).toBe(0);
    // Unique values: labelled bars, and the caption says every value is there once.
    expect(await column('batch_id').locator('.hist-label').allTextContents()).toEqual(['B0141', 'B0142', 'B0143']);
    expect(await column('batch_id').getByTestId('hist-caption').textContent()).toBe('every value once');
    expect(await column('site').locator('.hist-label').allTextContents()).toEqual(['BOS', 'SFO']);
    await shot('64-profile-bins-labels');

    await select('readings');
    await expect.poll(() => page.getByTestId('preview-node').textContent(), { timeout: 30_000 }).toBe('readings');
    const id = column('id');
    await id.waitFor({ timeout: 30_000 });
    const bins = await id.locator('[data-testid="histogram"] rect').count();
    expect(bins).toBeGreaterThanOrEqual(2);
    expect(await id.getByTestId('hist-caption').textContent()).toBe(`${bins} bins`);
    await shot('65-profile-numbers');
    await page.getByTestId('preview-rows-tab').click();
  });
});

afterAll(async () => {
  // The pictures the docs show (docs/designer.md, "Forms, SQL editor and grid"): written when
  // missing or when asked for (WEIR_UPDATE_DOCS_SCREENSHOT=1), so that a test run leaves git clean.
  await mkdir(join(repo, 'docs', 'screenshots'), { recursive: true });
  const update = process.env.WEIR_UPDATE_DOCS_SCREENSHOT === '1';
  for (const [from, to] of [
    ['60-form-aggregate-avg', 'forms-aggregate-avg'],
    ['61-form-join-keys', 'forms-join-common-key'],
    ['63-grid-sorted-filtered', 'grid-sorted-filtered'],
    ['64-profile-bins-labels', 'profile-single-value-and-labels'],
  ]) {
    const docs = join(repo, 'docs', 'screenshots', `${to}.png`);
    if (update || !existsSync(docs)) await copyFile(join(shots, `${from}.png`), docs).catch(() => undefined);
  }
});
