import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCgtLots } from '../../src-main/engine';
import { serializePipeline } from '../../shared/pipeline/canonical';
import type { Pipeline, PipelineNode } from '../../shared/pipeline/schema';
import { TEMPLATE_PIPELINE, copyTemplate } from '../support/templates';
import { designerUi, shots, startDesigner, type Designer } from './support/designer';
import { repo } from './support/renderer-build';
import { waitForSqlEditor } from './support/monaco';

/**
 * axe-core over the whole app (issue #15 item 14): no serious or critical violation, and no
 * list of known exceptions, in every state a user meets: each bottom panel tab (after a run,
 * so the log, checks and history have rows; the Lots tab of a partitioned pipeline), an open
 * preview grid and its profile and filter, a SQL node's Monaco editor in the inspector, every
 * dialog (open workspace, new pipeline, save as, keyboard shortcuts, command palette, connect
 * picker, sign run), the banner of a file changed on disk, the recovered draft and the
 * status bar's problems list. The whole sweep runs twice: light theme at 1440x900, dark theme at
 * 1024x700 (where tabs go into the More menu).
 */
let designer: Designer;
let page: Page;

const TEMPLATE = TEMPLATE_PIPELINE['cgt-batch-release'];
const LOTS = 'pipelines/release_by_lot.weir.json';
const { card, cards, select, shot } = designerUi(() => page);

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-a11y-',
    workspace: {
      name: 'cgt-lab',
      async fill(dir) {
        copyTemplate('cgt-batch-release', { to: dir });
        await generateCgtLots({ outDir: join(dir, 'data', 'raw'), batches: 3, readingsPerBatch: 6 });
      },
    },
  });
  page = designer.page;
  await page.setViewportSize({ width: 1440, height: 900 });
  // Evaluated through the debugging protocol: the page's CSP (script-src 'self') refuses the
  // inline <script> that addScriptTag({ content }) would add.
  await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
}, 180_000);

afterAll(() => designer?.stop());

/** docs/designer.md shows this screenshot: written when missing, or when asked for (WEIR_UPDATE_DOCS_SCREENSHOT=1). */
function toDocs(name: string): void {
  const to = join(repo, 'docs', 'screenshots', `${name}.png`);
  if (process.env.WEIR_UPDATE_DOCS_SCREENSHOT !== '1' && existsSync(to)) return;
  copyFileSync(join(shots, `${name}.png`), to);
}

interface AxeFinding {
  id: string;
  impact: string | null;
  targets: string[];
}

/** axe-core's serious and critical violations on the whole page, each element as its selector and axe's message. */
async function axeViolations(): Promise<AxeFinding[]> {
  return page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run(ctx: object, opts: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[]; any: { message: string }[] }[] }[] }> };
    };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.any[0]?.message ?? ''}`) }));
  });
}

async function openPipeline(path: string): Promise<void> {
  await page.locator(`[data-testid="pipeline-item"][data-path="${path}"]`).click();
  await expect.poll(() => page.locator('.pipeline-item.active').getAttribute('data-path')).toBe(path);
  await expect.poll(() => cards().count()).toBeGreaterThan(0);
}

/** Opens a bottom panel tab, from the strip or, where it did not fit, from the More menu. */
async function showTab(id: string): Promise<void> {
  const selected = () => page.getByTestId(`tab-${id}`).getAttribute('aria-selected', { timeout: 2_000 }).catch(() => null);
  if ((await selected()) === 'true') return;
  if (await page.getByTestId(`tab-${id}`).count()) await page.getByTestId(`tab-${id}`).click();
  else {
    await page.getByTestId('tab-more').click();
    await page.getByTestId(`tab-menu-${id}`).click();
  }
  await page.locator(`.panel-body[data-tab="${id}"]`).waitFor();
}

async function closePanel(): Promise<void> {
  const close = page.getByRole('button', { name: 'Close panel' });
  if (await close.count()) await close.click();
  await expect.poll(() => page.locator('.panel-body').count()).toBe(0);
}

/** Opens a dialog by its keys (the canvas focused, as shortcuts outside fields need), scans it, closes it with Escape. */
async function withDialog(keys: string, selector: string, scan: () => Promise<void>): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(keys);
  await page.locator(selector).waitFor();
  await scan();
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator(selector).count()).toBe(0);
}

const PANEL_TABS = ['checks', 'log', 'history', 'params', 'connections', 'changes'] as const;

/** Every state of the sweep, scanned; `found` collects each state's violations by name. */
async function sweep(where: string, found: Record<string, AxeFinding[]>): Promise<void> {
  const check = async (state: string) => {
    const v = await axeViolations();
    if (v.length) found[`${where}: ${state}`] = v;
  };
  await openPipeline(TEMPLATE);
  await closePanel();
  await check('the template on the canvas, nothing selected');

  // A SQL node in the inspector: Monaco's gutter, line numbers and tokens are in the page.
  await select('batches');
  await waitForSqlEditor(page, 'clean_batches');
  await check('a SQL node in the inspector, the panel closed');

  // An open preview grid (a source's rows: quick even on a loaded machine), its filter, its profile.
  await select('raw_specs');
  await showTab('preview');
  await page.getByTestId('preview-rows-tab').click();
  await page.getByTestId('preview-grid').waitFor({ timeout: 60_000 });
  await check('Preview, Rows');
  await page.getByTestId('grid-filter-button').first().click();
  await page.getByTestId('grid-filter').waitFor();
  await check('Preview, a column filter open');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId('grid-filter').count()).toBe(0);
  await page.getByTestId('preview-profile-tab').click();
  await page.getByTestId('profile-column').first().waitFor({ timeout: 60_000 });
  await check('Preview, Profile');

  for (const tab of PANEL_TABS) {
    await showTab(tab);
    await check(`the ${tab} tab`);
  }
  await showTab('history');
  await page.getByTestId('history-item').first().click();
  await page.getByTestId('history-record').waitFor({ timeout: 30_000 });
  await check('History, a run open');
  await page.getByTestId('history-sign').click();
  await page.getByTestId('sign-dialog').waitFor();
  await check('History, the sign dialog');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId('sign-dialog').count()).toBe(0);

  // The panel open and a SQL node's editor in the inspector at once.
  await showTab('changes');
  await select('batches');
  await waitForSqlEditor(page, 'clean_batches');
  await check('a SQL node in the inspector, the Changes tab open');

  await withDialog('Control+k', '[data-testid="command-palette"]', () => check('the command palette'));
  await withDialog('Control+o', '[role="dialog"][aria-label="Open workspace"]', () => check('the Open workspace dialog'));
  await withDialog('Control+Alt+n', '[role="dialog"][aria-label="New pipeline"]', () => check('the New pipeline dialog'));
  await withDialog('Control+Shift+s', '[role="dialog"][aria-label="Save as"]', () => check('the Save as dialog'));
  await withDialog('Shift+?', '[role="dialog"][aria-label="Keyboard shortcuts"]', () => check('the Keyboard shortcuts dialog'));
  // The connect picker: a card selected and focused, C.
  await select('batches');
  await page.locator('.react-flow__node', { has: card('batches') }).focus();
  await page.keyboard.press('c');
  await page.getByTestId('connect-picker').waitFor();
  await check('the connect picker');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId('connect-picker').count()).toBe(0);

  // The Lots tab of a partitioned pipeline.
  await openPipeline(LOTS);
  await showTab('lots');
  await expect.poll(() => page.getByTestId('lot-row').count(), { timeout: 30_000 }).toBe(3);
  await check('the Lots tab');

  // The file changed on disk while edited (the banner and its diff); reloaded, the edit
  // offered back as a draft and a new node with a problem (the status bar's list).
  const file = join(designer.workspace!, LOTS);
  const original = await readFile(file, 'utf8');
  await closePanel();
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.locator('#pipeline-description').fill(`edited in the ${where} pass`);
  await page.getByTestId('dirty').waitFor();
  const p = JSON.parse(original) as Pipeline;
  const bad: PipelineNode = { id: 'bad_mean', name: 'bad_mean', kind: 'aggregate', inputs: [p.nodes[0]!.id], config: { group_by: ['batch_id'], aggregates: [{ fn: 'avg' }] } };
  await writeFile(file, serializePipeline({ ...p, description: 'changed on disk', nodes: [...p.nodes, bad], layout: { ...p.layout, bad_mean: { x: 0, y: -200 } } }));
  await page.getByTestId('disk-change').waitFor();
  await expect.poll(() => page.getByTestId('disk-change-diff').textContent()).toContain('changed on disk');
  await check('the file changed on disk while edited');
  await page.getByTestId('disk-reload').click();
  await page.getByTestId('recovery-banner').waitFor();
  await check('reloaded: the draft offered back');
  await page.getByTestId('problems-count').click();
  await page.getByTestId('problems-list').waitFor();
  await check('the problems list');
  await page.keyboard.press('Escape');
  await page.getByTestId('recovery-banner').getByRole('button', { name: 'Discard' }).click();
  await writeFile(file, original);
  await expect.poll(() => cards().count()).toBe(p.nodes.length);
}

describe('accessibility', () => {
  it('has no serious or critical axe-core violation in any state, light at 1440x900 and dark at 1024x700', async () => {
    expect(await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe)).toBe('object');
    // A run first: the log, the checks and the history then hold rows, and the sign dialog has a run.
    await openPipeline(TEMPLATE);
    await page.getByTestId('run').click();
    await page.getByTestId('run-summary').filter({ hasText: /Run (succeeded|failed)/ }).waitFor({ timeout: 90_000 });

    const found: Record<string, AxeFinding[]> = {};
    const editorBackground = () => page.evaluate(() => getComputedStyle(document.querySelector('.monaco-editor-background')!).backgroundColor);
    await sweep('light, 1440x900', found);
    await select('batches');
    await waitForSqlEditor(page, 'clean_batches');
    expect(await editorBackground()).toBe('rgb(241, 243, 246)');
    await shot('a11y-light-1440');

    await page.getByTestId('theme').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.setViewportSize({ width: 1024, height: 700 });
    try {
      await sweep('dark, 1024x700', found);
      await openPipeline(TEMPLATE);
      await select('batches');
      await waitForSqlEditor(page, 'clean_batches');
      expect(await editorBackground()).toBe('rgb(34, 39, 49)'); // weir-dark's, sql/monaco.ts
      await showTab('log');
      await shot('a11y-dark-1024');
    } finally {
      await page.getByTestId('theme').click();
      await page.setViewportSize({ width: 1440, height: 900 });
    }
    expect(found).toEqual({});
  }, 600_000);

  it("lets the keyboard scroll the preview grid: its scroll area takes the focus, shows a ring, is named for its node, and scrolls with the arrow and page keys", async () => {
    await openPipeline(TEMPLATE);
    await select('raw_assays');
    await showTab('preview');
    await page.getByTestId('preview-rows-tab').click();
    const scroller = page.getByTestId('preview-grid-scroll');
    await page.getByTestId('preview-grid').waitFor({ timeout: 60_000 });
    // Reached by Tab: just before its first header's button.
    await page.getByTestId('grid-sort').first().focus();
    await page.keyboard.press('Shift+Tab');
    expect(await scroller.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await scroller.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    expect(await scroller.getAttribute('aria-label')).toBe('Rows of raw_assays');
    const scroll = () => scroller.evaluate((el) => ({ top: el.scrollTop, left: el.scrollLeft, overflowY: el.scrollHeight > el.clientHeight, overflowX: el.scrollWidth > el.clientWidth }));
    const before = await scroll();
    expect(before).toMatchObject({ top: 0, left: 0, overflowY: true });
    await page.keyboard.press('PageDown');
    await expect.poll(async () => (await scroll()).top).toBeGreaterThan(0);
    if (before.overflowX) {
      await page.keyboard.press('ArrowRight');
      await expect.poll(async () => (await scroll()).left).toBeGreaterThan(0);
    }
  }, 120_000);

  it('at 1024x700 with every panel open, fit says how much of the template it shows when it stops at the readable zoom', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    try {
      await openPipeline(TEMPLATE);
      await select('batches'); // the inspector holds a form
      await showTab('checks');
      await page.locator('.react-flow__controls-fitview').click();
      // What the view shows: its zoom, and each card's box against the canvas and the overview map.
      const view = () =>
        page.evaluate(() => {
          const c = document.querySelector('[data-testid="canvas"]')!.getBoundingClientRect();
          const m = document.querySelector('.react-flow__minimap')!.getBoundingClientRect();
          const zoom = Number(/scale\(([\d.]+)\)/.exec((document.querySelector('.react-flow__viewport') as HTMLElement).style.transform)![1]);
          const cards = [...document.querySelectorAll('[data-testid="node-card"]')].map((e) => e.getBoundingClientRect());
          const under = (r: DOMRect) => r.left < m.right && m.left < r.right && r.top < m.bottom && m.top < r.bottom;
          const whole = cards.filter((r) => r.left >= c.left - 0.5 && r.top >= c.top - 0.5 && r.right <= c.right + 0.5 && r.bottom <= c.bottom + 0.5 && !under(r));
          return { zoom, total: cards.length, whole: whole.length };
        });
      await expect.poll(async () => (await view()).zoom, { timeout: 5_000 }).toBeCloseTo(0.35, 2);
      const note = page.getByTestId('fit-note');
      await note.waitFor();
      // The zoom is read while fit's last frames may still move the view a pixel or two: the
      // note's count must come to match the page's once the view is still (a full run saw 7 vs 8).
      await expect.poll(async () => Number(await note.getAttribute('data-in-view')) - (await view()).whole).toBe(0);
      const v = await view();
      expect(v.total).toBe(17);
      // The template is larger than this canvas (about 450 x 300 px) at the readable zoom: the
      // note says how many nodes are in view, as the page shows them.
      expect(v.whole).toBeLessThan(17);
      expect(Number(await note.getAttribute('data-in-view'))).toBe(v.whole);
      expect(await note.textContent()).toBe(`${v.whole} of 17 nodes in view (the map shows the rest)`);
      expect(await page.getByRole('status').filter({ hasText: 'nodes in view' }).count()).toBe(1);
      await shot('fit-1024-every-panel-open');
      toDocs('fit-1024-every-panel-open');
      // A zoom of the user's own (the + button): the note no longer describes the view.
      await page.locator('.react-flow__controls-zoomin').click();
      await expect.poll(() => note.count()).toBe(0);
      // At 1440x900 with the panel closed the whole template fits above the readable zoom: no note.
      await closePanel();
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.locator('.react-flow__controls-fitview').click();
      await expect.poll(async () => (await view()).whole, { timeout: 5_000 }).toBe(17);
      expect((await view()).zoom).toBeGreaterThan(0.35);
      expect(await note.count()).toBe(0);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  }, 120_000);
});
