import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/canonical';
import type { Pipeline } from '../../shared/pipeline/schema';
import { copyTemplate } from '../support/templates';
import { designerUi, shots, startDesigner, type Designer } from './support/designer';

/**
 * Rough edges a new user found after issue #15, in Chromium against `weir serve`: the Run log
 * tab's badge and its "Warnings and errors" filter read the same number for the same run, and
 * the problems list opened from the status bar fits the window (1024x700 and 1440x900), leaves
 * the bottom panel it points into (the run log) in view, closes on Escape and on a click
 * outside, and gives the keyboard back to the count that opened it.
 */
let designer: Designer;
let page: Page;

const FAILS = 'pipelines/fails.weir.json';

/**
 * A run that ends with errors and warnings: `broken` fails (an error), `after` is skipped
 * because of it (a warning), the run ends failed (an error).
 */
const failing = (): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'fails',
  params: {
    min_viability_pct: {
      type: 'number',
      default: 70,
      description: 'Viability release limit in %. Can only tighten the specification limit in specs.csv (e.g. for a clinical lot), never loosen it.',
    },
  },
  nodes: [
    { id: 'l', name: 'lots', kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }], rows: [['B1'], ['B2']] } },
    // A check on the branch that runs, with rule names as long as the template's.
    {
      id: 'c',
      name: 'lots_checked',
      kind: 'check',
      inputs: ['l'],
      config: {
        rules: [
          { type: 'not_null', name: 'every_lot_names_its_batch_as_recorded_in_the_mes', column: 'batch_id', description: 'Every lot names its batch.' },
          { type: 'unique', columns: ['batch_id'], description: 'One line per batch.' },
        ],
      },
    },
    { id: 'b', name: 'broken', kind: 'sql', inputs: ['l'], config: { materialize: 'auto', sql: ['select batch_id, no_such_column', 'from lots'] } },
    { id: 'a', name: 'after', kind: 'sql', inputs: ['b'], config: { materialize: 'auto', sql: ['select * from broken'] } },
  ],
  layout: { l: { x: 0, y: 0 }, b: { x: 320, y: 0 }, a: { x: 640, y: 0 }, c: { x: 320, y: 160 } },
});

const { card, showTab } = designerUi(() => page);

/** Every element matching `selector` whose box sticks out of its `within` ancestor's (by more than half a pixel), by its text. */
const stickingOut = (selector: string, within: string) =>
  page.locator(selector).evaluateAll(
    (els, w) =>
      els
        .filter((e) => {
          const r = e.getBoundingClientRect();
          const o = e.closest(w)!.getBoundingClientRect();
          return r.width > 0 && (r.right > o.right + 0.5 || r.left < o.left - 0.5);
        })
        .map((e) => e.textContent),
    within,
  );
const count = () => page.getByTestId('problems-count');
const popover = () => page.locator('.problems-popover');

type Rect = { left: number; top: number; right: number; bottom: number };
const rectOf = (selector: string): Promise<Rect> =>
  page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  });
const overlap = (a: Rect, b: Rect) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-logpop-',
    workspace: {
      name: 'ws',
      fill: async (dir) => {
        // The template (its release_by_lot has no lot folders yet) and the failing pipeline.
        copyTemplate('cgt-batch-release', { to: dir });
        await writeFile(join(dir, FAILS), serializePipeline(failing()));
      },
    },
  });
  page = designer.page;
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.locator(`[data-testid="pipeline-item"][data-path="${FAILS}"]`).click();
  await card('after').waitFor();
  await page.getByTestId('run').click();
  await page.getByTestId('run-summary').filter({ hasText: 'Run failed' }).waitFor({ timeout: 90_000 });
}, 180_000);

afterAll(() => designer?.stop());

describe('the run log counts one number', () => {
  it('shows the same count on the Run log tab and on its "Warnings and errors" filter, said the same way', async () => {
    const badge = page.locator('[data-testid="tab-log"] [data-testid="log-badge"]');
    const filterCount = page.getByTestId('log-problems-count');
    await filterCount.waitFor();
    const levels = await page.locator('[data-testid="log-line"]').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-level')));
    const errors = levels.filter((l) => l === 'error').length;
    const warnings = levels.filter((l) => l === 'warn').length;
    // The run has both: the failed node and the run's end are errors, the skipped node a warning.
    expect(errors).toBeGreaterThan(0);
    expect(warnings).toBeGreaterThan(0);
    expect(await badge.textContent()).toBe(String(errors + warnings));
    expect(await filterCount.textContent()).toBe(String(errors + warnings));
    const words = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in the log`;
    expect(await badge.getAttribute('title')).toBe(words);
    expect(await filterCount.getAttribute('title')).toBe(words);
    // Red, as there is an error among them.
    expect(await badge.getAttribute('class')).toMatch(/\bbad\b/);
    // The filter shows exactly the lines the two numbers count.
    await page.getByTestId('log-problems').click();
    await expect.poll(() => page.locator('[data-testid="log-line"]').count()).toBe(errors + warnings);
    await page.screenshot({ path: join(shots, 'logpop-log-counts-1024.png') });
    await page.getByRole('tab', { name: /^All/ }).click();
  });

  it("says a node's failure once: no `node \"broken\", line 1:` after `failed at line 1:`", async () => {
    const failed = page.locator('[data-testid="log-line"].ev-node_failed[data-node="broken"] .log-msg');
    expect(await failed.textContent()).toMatch(/^failed at line 1: Binder Error: Referenced column "no_such_column" not found/);
  });

  it("names the run's record inside the workspace, the whole path in the tooltip", async () => {
    const end = page.locator('[data-testid="log-line"].ev-run_finished .log-msg');
    expect(await end.textContent()).toMatch(/^run failed in .+ · record \.weir\/runs\/[^/]+\.json$/);
    expect(await end.getAttribute('title')).toContain(`${designer.workspace}/.weir/runs/`);
  });
});

describe('the problems list above the status bar', () => {
  for (const [width, height] of [
    [1024, 700],
    [1440, 900],
  ] as const) {
    it(`fits the window at ${width}x${height} and leaves the run log in view`, async () => {
      await page.setViewportSize({ width, height });
      await expect.poll(() => count().textContent()).not.toBe('No problems');
      await count().click();
      await popover().waitFor();
      await page.screenshot({ path: join(shots, `logpop-popover-${width}x${height}.png`) });
      const pop = await rectOf('.problems-popover');
      // Whole inside the window: no edge cut, its list scrolls within it if it is long.
      expect(pop.left).toBeGreaterThanOrEqual(0);
      expect(pop.top).toBeGreaterThanOrEqual(0);
      expect(pop.right).toBeLessThanOrEqual(width);
      expect(pop.bottom).toBeLessThanOrEqual(height);
      // The run log it points into (the failed node's line) stays readable: nothing of it covered.
      expect(overlap(pop, await rectOf('.run-log-scroll'))).toBe(0);
      expect(overlap(pop, await rectOf('[data-testid="bottom-panel"]'))).toBe(0);
      // Nor the count that opened it.
      expect(overlap(pop, await rectOf('[data-testid="problems-count"]'))).toBe(0);
      await page.keyboard.press('Escape');
      await expect.poll(() => popover().count()).toBe(0);
    });
  }

  it('takes the keyboard in, closes on Escape and gives focus back to the count', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await count().click();
    await popover().waitFor();
    // The first problem has the focus: Tab and Enter reach the list at once.
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('.problems-popover'))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => popover().count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('problems-count');
    expect(await count().getAttribute('aria-expanded')).toBe('false');
    // Enter on the count opens it again, Escape closes it again: the keyboard never gets lost.
    await page.keyboard.press('Enter');
    await popover().waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => popover().count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('problems-count');
  });

  it('closes on a click outside it, and the click still does what it was for', async () => {
    await count().click();
    await popover().waitFor();
    // A click on a node's card: the list closes and the node is selected.
    await card('lots').locator('.node-name').click();
    await expect.poll(() => popover().count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid="inspector"]').getAttribute('data-node-id')).toBe('l');
    // A click on the empty canvas closes it too.
    await count().click();
    await popover().waitFor();
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
    await expect.poll(() => popover().count()).toBe(0);
  });

  it('stays closed once its problems are gone: the next run failing the same way does not pop it up by itself', async () => {
    await count().click();
    await popover().waitFor();
    // The run's end names its record (its run id): a new record is a new run.
    const record = () => page.locator('[data-testid="log-line"].ev-run_finished .log-msg').getAttribute('title', { timeout: 1_000 }).catch(() => null);
    const before = await record();
    expect(before).toContain('/.weir/runs/');
    // Run again by its key, the list open: the new run clears the last one's failure as it starts
    // (no problem left), then fails the same way (one again).
    await page.keyboard.press('Control+Enter');
    await expect.poll(record, { timeout: 90_000 }).toMatch(/\/\.weir\/runs\//);
    await expect.poll(record, { timeout: 90_000 }).not.toBe(before);
    await page.getByTestId('run-summary').filter({ hasText: 'Run failed' }).waitFor({ timeout: 90_000 });
    await expect.poll(() => count().textContent()).toBe('1 problem');
    expect(await popover().count()).toBe(0);
    expect(await count().getAttribute('aria-expanded')).toBe('false');
  });
});

describe('panels read whole at 1024x700', () => {
  it("keeps each check rule's severity and failing rows inside its row, a long rule name wrapping instead", async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await showTab('checks');
    await expect.poll(() => page.getByTestId('check-rule').count()).toBe(2);
    expect(await stickingOut('.check-rule-head > *', '.check-rule')).toEqual([]);
    // "0 failing rows" on one line, beside its severity.
    const outcome = await page.locator('.check-outcome').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().height)));
    for (const h of outcome) expect(h).toBeLessThan(24);
    await page.screenshot({ path: join(shots, 'logpop-checks-1024.png') });
  });

  it("keeps a parameter's description and the run's reason inside the Parameters tab", async () => {
    await showTab('params');
    const desc = page.locator('.params-table td.param-desc');
    await desc.waitFor();
    expect(await desc.textContent()).toMatch(/^Viability release limit in %/);
    // Readable where it is: inside the panel's visible width, not cut by its edge, a few lines at most.
    const panel = await rectOf('[data-testid="params-panel"]');
    const d = await rectOf('.params-table td.param-desc');
    expect(d.right).toBeLessThanOrEqual(panel.right + 0.5);
    expect(d.bottom - d.top).toBeLessThan(80);
    expect(await page.getByTestId('params-panel').evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    // The reason's label is as far from the panel's edge as the text under it.
    const reason = await rectOf('.run-reason');
    const hint = await rectOf('[data-testid="params-panel"] > p');
    expect(reason.left).toBeGreaterThanOrEqual(panel.left + 8);
    expect(Math.abs(reason.left - hint.left)).toBeLessThanOrEqual(1);
    await page.screenshot({ path: join(shots, 'logpop-params-1024.png') });
  });

  it('opens the keyboard shortcuts at their title, the focus on Close', async () => {
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } });
    await page.keyboard.press('Shift+?');
    const dialog = page.locator('[role="dialog"][aria-label="Keyboard shortcuts"]');
    await dialog.waitFor();
    expect(await dialog.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true); // it scrolls at this height
    expect(await dialog.evaluate((el) => el.scrollTop)).toBe(0);
    const title = await rectOf('[role="dialog"][aria-label="Keyboard shortcuts"] h2');
    const box = await rectOf('[role="dialog"][aria-label="Keyboard shortcuts"]');
    expect(title.top).toBeGreaterThanOrEqual(box.top);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Close');
    await page.screenshot({ path: join(shots, 'logpop-shortcuts-1024.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('keeps Tab inside a dialog and gives the focus back to the button that opened it', async () => {
    const focused = () => page.evaluate(() => {
      const a = document.activeElement;
      return { label: a?.getAttribute('aria-label') ?? a?.textContent ?? '', inDialog: Boolean(a?.closest('[role="dialog"]')) };
    });
    // By the keyboard: the sidebar's + focused, Enter opens New pipeline on its name field.
    await page.getByTestId('new-pipeline').focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('[role="dialog"][aria-label="New pipeline"]');
    await dialog.waitFor();
    expect((await focused()).inDialog).toBe(true);
    // Round and round its own controls, both ways; never onto the page behind it.
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect((await focused()).inDialog, key).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await focused()).toEqual({ label: 'New pipeline', inDialog: false });
    // By the mouse: the top bar's button, closed by the dialog's own Close.
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    const shortcuts = page.locator('[role="dialog"][aria-label="Keyboard shortcuts"]');
    await shortcuts.waitFor();
    await shortcuts.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => shortcuts.count()).toBe(0);
    expect(await focused()).toEqual({ label: 'Keyboard shortcuts', inDialog: false });
  });

  it('says where lots come from when a partitioned pipeline has none yet, instead of an empty table', async () => {
    await page.locator('[data-testid="pipeline-item"][data-path="pipelines/release_by_lot.weir.json"]').click();
    await card('batch_release').waitFor();
    await showTab('lots');
    const none = page.getByTestId('lots-none');
    await none.waitFor({ timeout: 30_000 });
    expect(await none.innerText()).toContain('No lots yet. A lot is a value of batch_id that its sources\' files name, in these paths:');
    expect(await none.locator('li').allTextContents()).toEqual(['data/raw/lots/{batch_id}/batch.csv', 'data/raw/lots/{batch_id}/assays*.csv', 'data/raw/lots/{batch_id}/bioreactor.parquet']);
    expect(await page.locator('.lots-table').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'logpop-no-lots-1024.png') });
  });
});
