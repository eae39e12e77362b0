import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/canonical';
import { parsePipeline } from '../../shared/pipeline/parse';
import { designerUi, startDesigner, writeEmptyWorkspace, type Designer } from './support/designer';
import { setSql, sqlValue, waitForSqlEditor } from './support/monaco';

/**
 * The designer end to end: Debian's Chromium against the browser shell (`weir serve`),
 * on a temp workspace. Screenshots go to test-artifacts/e2e/.
 */
let designer: Designer;
let workspace: string;
let page: Page;
const file = () => join(workspace, 'pipelines', 'release.weir.json');

const { card, cards, shot, select, saveAndWait } = designerUi(() => page);
const edges = () => page.locator('.react-flow__edge');

/** Drags a kind from the palette and drops it at (x, y) of the canvas. */
async function dropFromPalette(kind: string, x: number, y: number): Promise<void> {
  const box = await page.getByTestId('canvas').boundingBox();
  if (!box) throw new Error('no canvas');
  await page.getByTestId(`palette-${kind}`).hover();
  await page.mouse.down();
  await page.mouse.move(box.x + x / 2, box.y + y / 2, { steps: 4 });
  await page.mouse.move(box.x + x, box.y + y, { steps: 4 });
  await page.mouse.up();
}

async function center(selector: ReturnType<Page['locator']>): Promise<{ x: number; y: number }> {
  const box = await selector.boundingBox();
  if (!box) throw new Error('element not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from one node's output port to another's input port, as a user connects them. */
async function connect(from: string, to: string): Promise<void> {
  const a = await center(card(from).locator('.react-flow__handle.source'));
  const b = await center(card(to).locator('.react-flow__handle.target'));
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

/** The id of the node the inspector shows (its SQL editor is addressed by id). */
async function inspected(): Promise<string> {
  const id = await page.locator('[data-testid="inspector"]').getAttribute('data-node-id');
  if (!id) throw new Error('no node in the inspector');
  return id;
}

/** The SQL of the node in the inspector, from its Monaco model. */
async function inspectedSql(): Promise<string | null> {
  const id = await inspected();
  await waitForSqlEditor(page, id);
  return sqlValue(page, id);
}

beforeAll(async () => {
  designer = await startDesigner({ prefix: 'weir-e2e-', workspace: { name: 'lab', fill: writeEmptyWorkspace } });
  workspace = designer.workspace!;
  page = designer.page;
}, 180_000);

afterAll(() => designer?.stop());

describe('the designer in the browser shell', () => {
  it('builds a four-node pipeline by drag and drop, connects and edits it, saves, and reloads the same file', async () => {
    await page.getByTestId('new-pipeline').click();
    await page.getByTestId('new-pipeline-name').fill('release');
    await page.getByTestId('create-pipeline').click();
    await page.getByText('Drag a node from the palette').waitFor();

    await dropFromPalette('seed', 160, 160);
    await dropFromPalette('sql', 480, 160);
    await dropFromPalette('sql', 480, 400);
    await dropFromPalette('file_sink', 800, 400);
    await expect.poll(() => cards().count()).toBe(4);
    for (const n of ['seed_1', 'sql_1', 'sql_2', 'file_out_1']) await card(n).waitFor();

    await connect('seed_1', 'sql_1');
    await connect('sql_1', 'sql_2');
    await connect('sql_2', 'file_out_1');
    await expect.poll(() => edges().count()).toBe(3);
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(1);

    // Edit: SQL of sql_2, and the output's path and format (the form generated from its schema).
    await select('sql_2');
    await setSql(page, await inspected(), 'select code, count(*) as n\nfrom sql_1\ngroup by code');
    await select('file_out_1');
    await page.getByLabel('Path', { exact: true }).fill('data/curated/codes.csv');
    await page.getByLabel('Format', { exact: true }).selectOption('csv');
    await shot('01-four-nodes-edited');

    await saveAndWait();
    const text = await readFile(file(), 'utf8');
    const { pipeline } = parsePipeline(text, 'release.weir.json');
    expect(serializePipeline(pipeline)).toBe(text); // written canonically
    const byName = new Map(pipeline.nodes.map((n) => [n.name, n]));
    const id = (name: string) => byName.get(name)?.id;
    expect(pipeline.nodes.map((n) => [n.name, n.kind])).toEqual([
      ['seed_1', 'seed'],
      ['sql_1', 'sql'],
      ['sql_2', 'sql'],
      ['file_out_1', 'file_sink'],
    ]);
    expect(byName.get('sql_1')?.inputs).toEqual([id('seed_1')]);
    expect(byName.get('sql_1')?.config.sql).toEqual(['select *', 'from seed_1']); // the first input named in the default SQL
    expect(byName.get('sql_2')?.inputs).toEqual([id('sql_1')]);
    expect(byName.get('sql_2')?.config.sql).toEqual(['select code, count(*) as n', 'from sql_1', 'group by code']);
    expect(byName.get('file_out_1')).toMatchObject({ inputs: [id('sql_2')], config: { path: 'data/curated/codes.csv', format: 'csv' } });
    expect(Object.keys(pipeline.layout).sort()).toEqual(pipeline.nodes.map((n) => n.id).sort());

    await page.reload();
    await expect.poll(() => cards().count()).toBe(4);
    await expect.poll(() => edges().count()).toBe(3);
    await select('sql_2');
    expect(await inspectedSql()).toBe('select code, count(*) as n\nfrom sql_1\ngroup by code');
    await shot('02-after-reload');
    // Saving what was loaded writes the very same bytes.
    await page.keyboard.press('Escape');
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await saveAndWait();
    await expect.poll(() => page.getByTestId('toast-success').count()).toBeGreaterThan(0);
    expect(await readFile(file(), 'utf8')).toBe(text);
  });

  it('undoes and redoes a delete, with the keyboard and the toolbar', async () => {
    await select('file_out_1');
    await page.keyboard.press('Delete');
    await expect.poll(() => cards().count()).toBe(3);
    await expect.poll(() => edges().count()).toBe(2);
    await page.keyboard.press('Control+z');
    await expect.poll(() => cards().count()).toBe(4);
    await expect.poll(() => edges().count()).toBe(3);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => cards().count()).toBe(3);
    await page.getByTestId('undo').click();
    await expect.poll(() => cards().count()).toBe(4);
    await expect.poll(() => edges().count()).toBe(3);
    await page.getByTestId('redo').click();
    await page.getByTestId('undo').click();
    await expect.poll(() => cards().count()).toBe(4);
    // Back where the file is: clean again.
    await expect.poll(() => page.getByTestId('saved').count()).toBe(1);
  });

  it('refuses an edge that would make a cycle, and says why', async () => {
    await connect('sql_2', 'sql_1');
    const toast = page.getByTestId('toast-error');
    await toast.waitFor();
    expect(await toast.textContent()).toContain('cycle (sql_1 → sql_2 → sql_1)');
    await shot('03-cycle-refused');
    expect(await edges().count()).toBe(3);
    expect(await page.getByTestId('saved').count()).toBe(1);
  });

  it('renames a node and rewrites the SQL downstream', async () => {
    await select('seed_1');
    const name = page.getByTestId('inspector-name');
    await name.fill('lots');
    await name.press('Enter');
    await card('lots').waitFor();
    await expect.poll(() => card('seed_1').count()).toBe(0);
    await select('sql_1');
    expect(await inspectedSql()).toBe('select *\nfrom lots');
    await shot('04-renamed');
    await saveAndWait();
    const { pipeline } = parsePipeline(await readFile(file(), 'utf8'), 'release.weir.json');
    expect(pipeline.nodes.find((n) => n.name === 'sql_1')?.config.sql).toEqual(['select *', 'from lots']);
    expect(pipeline.nodes.find((n) => n.kind === 'seed')?.name).toBe('lots');
  });
});

describe('more canvas editing', () => {
  it('multi-selects, copies and pastes, disconnects an edge, validates a form, lays out, all undoable', async () => {
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await card('sql_1').locator('.node-name').click();
    await card('sql_2').locator('.node-name').click({ modifiers: ['Control'] });
    await expect.poll(() => page.locator('.node-card.selected').count()).toBe(2);
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(() => cards().count()).toBe(6);
    await card('sql_3').waitFor();
    await card('sql_4').waitFor();
    await expect.poll(() => edges().count()).toBe(4); // the copies keep the edge between them
    await page.keyboard.press('Control+z');
    await expect.poll(() => cards().count()).toBe(4);

    // Disconnect: click the edge halfway between its ports, delete it.
    // The ports are read again on each try: a paste pans the view to the copies, and on a busy
    // machine that pan (and the one after Undo) can still be moving when the first reading is taken.
    await expect
      .poll(async () => {
        const a = await center(card('lots').locator('.react-flow__handle.source'));
        const b = await center(card('sql_1').locator('.react-flow__handle.target'));
        await page.mouse.click((a.x + b.x) / 2, (a.y + b.y) / 2);
        return page.locator('.react-flow__edge.selected').count();
      })
      .toBe(1);
    await page.keyboard.press('Delete');
    await expect.poll(() => edges().count()).toBe(2);
    await page.keyboard.press('Control+z');
    await expect.poll(() => edges().count()).toBe(3);

    // The form says what is wrong, at the field, and the card shows it.
    await select('file_out_1');
    await page.getByLabel('Path', { exact: true }).fill('../outside.csv');
    await page.getByText('expected a path inside the workspace (no "..")').waitFor();
    await card('file_out_1').locator('.node-issue').waitFor();
    await shot('06-form-validation');
    await page.keyboard.press('Escape');
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => card('file_out_1').locator('.node-issue').count()).toBe(0);

    const before = await card('sql_2').boundingBox();
    await page.getByTestId('auto-layout').click();
    await expect.poll(async () => JSON.stringify(await card('sql_2').boundingBox())).not.toBe(JSON.stringify(before));
    await page.waitForTimeout(400); // the zoom-to-fit animation, for the screenshot only
    await shot('07-auto-layout');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('saved').count()).toBe(1);
  });
});

describe('recovery of unsaved work', () => {
  it('offers the draft of a tab that died with unsaved changes, and restores it', async () => {
    await select('sql_2');
    await setSql(page, await inspected(), 'select code, count(*) as lots_per_code\nfrom sql_1\ngroup by code');
    await page.getByTestId('dirty').waitFor();
    const draft = join(workspace, '.weir', 'drafts', `${encodeURIComponent('pipelines/release.weir.json')}.json`);
    await expect.poll(async () => (existsSync(draft) ? (await readFile(draft, 'utf8')).includes('lots_per_code') : false), { timeout: 10_000 }).toBe(true);

    // The tab goes away without a word (a crash): no beforeunload, no save.
    await page.close({ runBeforeUnload: false });
    page = await designer.browser.context.newPage();
    // Closing the browser's only tab ended its session (a session cookie dies with the last
    // tab): as a user would, open the new one-time link weir serve printed.
    await page.goto(await designer.served.newUrl());
    await page.getByTestId('recovery-banner').waitFor();
    await shot('05-recovery-offered');
    expect(await readFile(file(), 'utf8')).not.toContain('lots_per_code');
    await page.getByTestId('restore-draft').click();
    await page.getByTestId('dirty').waitFor();
    await select('sql_2');
    expect(await inspectedSql()).toContain('lots_per_code');
    await saveAndWait();
    expect(await readFile(file(), 'utf8')).toContain('lots_per_code');
    await expect.poll(() => existsSync(draft)).toBe(false);
  });
});
