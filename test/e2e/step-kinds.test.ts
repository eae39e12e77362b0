import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeKindSpec } from '../../shared/nodes/registry';
import { copyTemplate, TEMPLATE_PIPELINE } from '../support/templates';
import { designerUi, startDesigner, type Designer } from './support/designer';
import { setSql, sqlValue, waitForSqlEditor } from './support/monaco';

/**
 * Issue #20 item 4 end to end (Chromium against `weir serve`, one page): each new step kind
 * dropped from the palette onto the bioreactor trends template, connected to its `readings`
 * node, filled in through its form, its generated SQL shown, and previewed, with a value of
 * the preview checked. Each step is removed again before the next, so they all land in the
 * same free place on the canvas.
 */
let designer: Designer;
let page: Page;

const { card, shot, select } = designerUi(() => page);
const inspector = () => page.getByTestId('inspector');
const field = (path: string) => inspector().locator(`[data-field="${path}"]`);

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-steps-',
    workspace: { name: 'trends', fill: (dir) => void copyTemplate('cgt-bioreactor-trends', { to: dir }) },
    // The workspace's only pipeline opens by itself.
    ready: (p) => p.locator(`.pipeline-item.active[data-path="${TEMPLATE_PIPELINE['cgt-bioreactor-trends']}"]`).waitFor({ timeout: 60_000 }),
  });
  page = designer.page;
  await page.setViewportSize({ width: 1400, height: 900 });
  await card('readings').waitFor({ timeout: 30_000 });
}, 180_000);

afterAll(() => designer?.stop());

/** Drags a kind from the palette into the free lower part of the canvas; the new node is selected. */
async function dropStep(kind: string): Promise<{ id: string; name: string }> {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  await page.getByTestId(`palette-${kind}`).hover();
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.82, { steps: 4 });
  await page.mouse.up();
  // The dropped node is the one selected.
  const label = nodeKindSpec(kind)!.label;
  await expect.poll(() => inspector().locator('.inspector-kind').textContent().catch(() => null)).toBe(label);
  const id = (await inspector().getAttribute('data-node-id'))!;
  const added = page.locator(`[data-testid="node-card"][data-node-id="${id}"]`);
  return { id, name: (await added.getAttribute('data-node-name'))! };
}

async function center(l: Locator): Promise<{ x: number; y: number }> {
  const b = (await l.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** Drags from readings' output port to the step's input port. */
async function connectFromReadings(name: string): Promise<void> {
  const a = await center(card('readings').locator('.react-flow__handle.source'));
  const b = await center(card(name).locator('.react-flow__handle.target'));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => inspector().locator('[data-field="inputs"] code').allTextContents()).toEqual(['readings']);
}

/** Ticks input columns in a column list (offered once the input's columns are known). */
async function pick(path: string, ...columns: string[]): Promise<void> {
  for (const c of columns) {
    const chip = field(path).locator('label.column-pick', { hasText: new RegExp(`^${c} `) });
    await chip.waitFor({ timeout: 30_000 });
    await chip.click();
    await expect.poll(() => chip.getAttribute('class')).toContain(' on');
  }
}

async function addItem(path: string): Promise<void> {
  await field(path).getByRole('button', { name: 'Add', exact: true }).last().click();
}

async function previewOf(name: string): Promise<{ headers: string[]; rows: string[][] }> {
  await select(name);
  await page.keyboard.press('Control+p');
  await expect.poll(() => page.getByTestId('preview-node').textContent(), { timeout: 30_000 }).toBe(name);
  const grid = page.getByTestId('preview-grid');
  await grid.waitFor({ timeout: 30_000 });
  await expect.poll(() => page.locator('.preview.is-loading').count(), { timeout: 30_000 }).toBe(0);
  const headers = (await grid.getByTestId('grid-header').evaluateAll((hs) => hs.map((h) => h.getAttribute('title') ?? ''))).map((t) => t.split(' ')[0]!);
  const rows = await grid.locator('.grid-row').evaluateAll((rs) =>
    rs
      .sort((a, b) => Number((a as HTMLElement).dataset.row) - Number((b as HTMLElement).dataset.row))
      .map((r) => [...r.querySelectorAll('[role="gridcell"]')].map((c) => c.getAttribute('title') ?? c.textContent ?? '')),
  );
  return { headers, rows };
}

/** How the grid shows a NULL (its title). */
const NULL = 'NULL (no value)';

/** A column's values in the preview, by header name. */
const col = (p: { headers: string[]; rows: string[][] }, name: string) => p.rows.map((r) => r[p.headers.indexOf(name)]);

/** The generated SQL shown beside the form, once it contains `text`. */
async function generatedContains(id: string, text: string): Promise<void> {
  await waitForSqlEditor(page, id, 'generated');
  await expect.poll(() => sqlValue(page, id, 'generated'), { timeout: 15_000 }).toContain(text);
}

async function removeStep(name: string): Promise<void> {
  await select(name);
  await page.keyboard.press('Delete');
  await expect.poll(() => card(name).count()).toBe(0);
}

describe('the step kinds, each added from the palette, filled in and previewed', () => {
  it('sort: by pH, highest first', async () => {
    const { id, name } = await dropStep('sort');
    await connectFromReadings(name);
    await addItem('by');
    await field('by.0.column').locator('input').fill('ph');
    await field('by.0.direction').locator('select').selectOption('desc');
    await generatedContains(id, 'ORDER BY "ph" DESC NULLS LAST');
    const p = await previewOf(name);
    expect(col(p, 'ph')[0]).toBe('7.3');
    await shot('20-4-step-sort');
    await removeStep(name);
  });

  it('limit / sample: the first 3 rows, then 5 at random with a seed', async () => {
    const { id, name } = await dropStep('sample');
    await connectFromReadings(name);
    await field('rows').locator('input').fill('3');
    await generatedContains(id, 'LIMIT 3');
    expect((await previewOf(name)).rows).toHaveLength(3);
    await field('mode').locator('select').selectOption('random_rows');
    await field('rows').locator('input').fill('5');
    await generatedContains(id, 'ORDER BY hash(readings, 42), readings');
    expect((await previewOf(name)).rows).toHaveLength(5);
    await removeStep(name);
  });

  it('compute column: an expression typed in its SQL editor', async () => {
    const { id, name } = await dropStep('compute_column');
    await connectFromReadings(name);
    // The node's own name field comes first; the config's "name" is the form's.
    await field('name').locator('input').last().fill('ph_x10');
    await setSql(page, id, 'round(ph * 10, 1)', 'expression');
    await generatedContains(id, 'SELECT *, (round(ph * 10, 1)) AS "ph_x10"');
    const p = await previewOf(name);
    expect(p.headers.at(-1)).toBe('ph_x10');
    const row = p.rows.find((r) => r[p.headers.indexOf('ph')] !== NULL)!;
    expect(Number(row[p.headers.indexOf('ph_x10')])).toBeCloseTo(Number(row[p.headers.indexOf('ph')]) * 10, 6);
    await shot('20-4-step-compute-column');
    await removeStep(name);
  });

  it('cast / rename: DO % to an integer, renamed in place', async () => {
    const { id, name } = await dropStep('cast_columns');
    await connectFromReadings(name);
    await addItem('columns');
    await field('columns.0.name').locator('input').fill('do_pct');
    await field('columns.0.type').locator('input').fill('INTEGER');
    await field('columns.0.rename').locator('input').fill('do_percent');
    await generatedContains(id, 'CAST("do_pct" AS INTEGER) AS "do_pct"');
    const p = await previewOf(name);
    expect(p.headers).toEqual(['batch_id', 'site', 'reading_at', 'ph', 'do_percent', 'temp_c', 'glucose_g_l', 'lactate_g_l']);
    expect(col(p, 'do_percent').filter((v) => v !== NULL).every((v) => /^\d+$/.test(v!))).toBe(true);
    await removeStep(name);
  });

  it('pivot: readings per batch and site, the sites listed', async () => {
    const { id, name } = await dropStep('pivot');
    await connectFromReadings(name);
    await pick('group_by', 'batch_id');
    await field('column').locator('input').fill('site');
    await field('values').locator('textarea').fill('BOS\nLEI');
    await field('fn').locator('select').selectOption('count');
    await generatedContains(id, `FOR "site" IN ('BOS', 'LEI')`);
    const p = await previewOf(name);
    expect(p.headers).toEqual(['batch_id', 'BOS', 'LEI']);
    expect(p.rows[0]).toEqual(['B0001', '1728', '0']);
    expect(p.rows[1]).toEqual(['B0002', '0', '1728']);
    await shot('20-4-step-pivot');
    await removeStep(name);
  });

  it('unpivot: pH and DO % into name/value rows', async () => {
    const { id, name } = await dropStep('unpivot');
    await connectFromReadings(name);
    await pick('columns', 'ph', 'do_pct');
    await generatedContains(id, 'UNPIVOT (');
    const p = await previewOf(name);
    expect(p.headers.slice(-2)).toEqual(['name', 'value']);
    expect(new Set(col(p, 'name'))).toEqual(new Set(['ph', 'do_pct']));
    await removeStep(name);
  });

  it('window: row numbers and the pH before, per batch in time order', async () => {
    const { id, name } = await dropStep('window');
    await connectFromReadings(name);
    await pick('partition_by', 'batch_id');
    await addItem('order_by');
    await field('order_by.0.column').locator('input').fill('reading_at');
    await addItem('functions');
    await field('functions.1.fn').locator('select').selectOption('lag');
    await field('functions.1.column').locator('input').fill('ph');
    await field('functions.1.as').locator('input').fill('ph_before');
    await generatedContains(id, 'lag("ph", 1) OVER (PARTITION BY "batch_id" ORDER BY "reading_at" ASC NULLS LAST, readings) AS "ph_before"');
    const p = await previewOf(name);
    expect(col(p, 'batch_id').slice(0, 3)).toEqual(['B0001', 'B0001', 'B0001']);
    expect(col(p, 'row_number').slice(0, 3)).toEqual(['1', '2', '3']);
    expect(col(p, 'ph_before').slice(0, 3)).toEqual([NULL, '7.29', '7.3']);
    await shot('20-4-step-window');
    await removeStep(name);
  });

  it('time bucket: readings per batch per hour', async () => {
    const { id, name } = await dropStep('time_bucket');
    await connectFromReadings(name);
    await field('time_column').locator('input').fill('reading_at');
    await field('interval').locator('input').fill('1 hour');
    await pick('group_by', 'batch_id');
    await generatedContains(id, `time_bucket(INTERVAL '1 hour', "reading_at") AS "bucket"`);
    const p = await previewOf(name);
    expect(p.headers).toEqual(['batch_id', 'bucket', 'readings']);
    // A reading every 9 min 10 s: 7 in the first hour.
    expect([p.rows[0]![0], p.rows[0]![2]]).toEqual(['B0001', '7']);
    await shot('20-4-step-time-bucket');
    await removeStep(name);
  });

  it('fill missing: DO % carried forward per batch', async () => {
    const { id, name } = await dropStep('fill_missing');
    await connectFromReadings(name);
    await pick('columns', 'do_pct');
    await pick('partition_by', 'batch_id');
    await addItem('order_by');
    await field('order_by.0.column').locator('input').fill('reading_at');
    await generatedContains(id, 'last_value("do_pct" IGNORE NULLS) OVER (PARTITION BY "batch_id" ORDER BY "reading_at" ASC NULLS LAST, readings');
    const p = await previewOf(name);
    expect(col(p, 'do_pct').slice(0, 2)).toEqual(['43.3', '40.5']);
    // 66 DO dropouts arrive as NULL (the first at B0001's 369th reading); the profile counts over every row: none left.
    await page.getByTestId('preview-profile-tab').click();
    const doPct = page.getByTestId('profile').locator('[data-testid="profile-column"][data-column="do_pct"]');
    await expect.poll(() => doPct.getByTestId('profile-nulls').getAttribute('data-value'), { timeout: 30_000 }).toBe('0');
    await page.getByTestId('preview-rows-tab').click();
    await removeStep(name);
  });

  it('wide to long: the measured columns by a pattern, as name/value rows', async () => {
    const { id, name } = await dropStep('wide_to_long');
    await connectFromReadings(name);
    await field('pattern').locator('input').fill('^(ph|do_pct|temp_c)$');
    await field('name_column').locator('input').fill('measure');
    await generatedContains(id, `  "value" FOR "measure" IN (COLUMNS('^(ph|do_pct|temp_c)$'))`);
    const p = await previewOf(name);
    expect(p.headers).toEqual(['batch_id', 'site', 'reading_at', 'glucose_g_l', 'lactate_g_l', 'measure', 'value']);
    expect(new Set(col(p, 'measure'))).toEqual(new Set(['ph', 'do_pct', 'temp_c']));
    await shot('20-4-step-wide-to-long');
    // Convert to SQL: the same node, now holding the SQL it showed.
    await inspector().getByTestId('convert-to-sql').click();
    await expect.poll(() => inspector().locator('.inspector-kind').textContent()).toBe(nodeKindSpec('sql')!.label);
    expect(await sqlValue(page, id)).toContain(`  "value" FOR "measure" IN (COLUMNS('^(ph|do_pct|temp_c)$'))`);
  });
});
