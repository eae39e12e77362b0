import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWeir } from '../support/cli';
import { REVIEW_FILE, writeReviewRepo } from '../support/review-repo';
import { setSql } from './support/monaco';
import { repo } from './support/renderer-build';
import { designerUi, shots, startDesigner, type Designer } from './support/designer';

/**
 * The designer's review (issue #16) at 1024x700: a committed pipeline with a recorded base run
 * and a working copy that rounds the yields to whole percent and tightens the limit. The
 * Changes tab's Review runs the real review; the breaking node is marked on the canvas, its
 * value diff (the changed batches side by side) and the newly failing check show in the panel;
 * a click in the list selects the node; an edit clears the marks; a slow review is cancelled.
 */
let designer: Designer;
let page: Page;
const { card, select, shot, showTab } = designerUi(() => page);

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-review-',
    workspace: {
      name: 'ws',
      fill: (dir) =>
        writeReviewRepo(dir, async (file) => {
          const r = await runWeir(['run', file], { fromSource: true });
          if (r.code !== 0) throw new Error(`the base run failed: ${r.stderr}`);
        }),
    },
  });
  page = designer.page;
  await page.setViewportSize({ width: 1024, height: 700 });
}, 180_000);
afterAll(() => designer?.stop());

const mark = () => page.locator(`[data-testid="pipeline-item"][data-path="${REVIEW_FILE}"] [data-testid="git-mark"]`);
/** Opens a bottom tab, from the More menu when the strip has no room for it at this width. */
/** Drags the bottom panel's top edge by `dy` pixels (up is negative: a taller panel). */
async function dragPanelEdge(dy: number): Promise<void> {
  const sep = (await page.getByRole('separator', { name: 'Resize the bottom panel' }).boundingBox())!;
  await page.mouse.move(sep.x + sep.width / 2, sep.y + sep.height / 2);
  await page.mouse.down();
  await page.mouse.move(sep.x + sep.width / 2, sep.y + sep.height / 2 + dy, { steps: 5 });
  await page.mouse.up();
}
const reviewed = (name: string) => card(name).getAttribute('data-review');

describe('the review in the Changes tab', () => {
  it('reviews the modified pipeline: breaking node marked, value diff and the newly failing check shown', async () => {
    await expect.poll(() => mark().textContent()).toBe('M');
    await card('yields').waitFor();
    await showTab('changes');
    await page.getByTestId('review-start').click();

    const summary = page.getByTestId('review-summary');
    await summary.waitFor({ timeout: 120_000 });
    expect(await summary.getAttribute('data-verdict')).toBe('breaking');
    await expect.poll(() => page.getByTestId('review-newly-failing').textContent()).toMatch(/^1 check newly fails: yield_in_spec \(yields_checked, 1 failing rows?\)/);
    expect(await page.getByTestId('review-sides').textContent()).toMatch(/inputs pinned to run \S+/);

    // The canvas: both changed nodes are breaking; raw is not touched; the legend says what the marks mean.
    expect(await reviewed('yields')).toBe('breaking');
    expect(await reviewed('yields_checked')).toBe('breaking');
    expect(await reviewed('raw')).toBe('');
    await page.getByTestId('review-legend').waitFor();

    // Breaking first; the first breaking node is open with its value diff.
    const nodes = page.getByTestId('review-node');
    expect(await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-classification')))).toEqual(['breaking', 'breaking']);
    const yields = nodes.filter({ has: page.locator('.rv-node-name', { hasText: /^yields$/ }) });
    const values = yields.getByTestId('review-values');
    await values.waitFor();
    expect(await values.getByTestId('review-value-counts').textContent()).toBe('4 changed · 0 only in base · 0 only in head · 1 same');
    expect(await values.getByTestId('review-mismatches').textContent()).toContain('yield_pct 4');
    const sample = await values.getByTestId('review-sample-row').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(sample).toContainEqual(['B1', '91.3', '91']);
    expect(sample).toContainEqual(['B2', '60.4', '60']);

    // The check node: opened from the list, selected on the canvas, its newly failing rule first.
    const checked = nodes.filter({ has: page.locator('.rv-node-name', { hasText: /^yields_checked$/ }) });
    await checked.locator('.rv-node-head').click();
    await expect.poll(() => page.locator('[data-testid="inspector"]').getAttribute('data-node-id')).toBe('yields_checked');
    const firstCheck = checked.getByTestId('review-checks').locator('tr').first();
    expect(await firstCheck.getAttribute('data-change')).toBe('newly_failing');
    expect(await firstCheck.textContent()).toContain('yield_in_spec');
    await shot('review-1024x700');

    // The picture for docs/review.md: the verdict, the headline and the value diff, at a size a reader can read.
    await page.setViewportSize({ width: 1440, height: 900 });
    await dragPanelEdge(-220);
    await page.getByTestId('zoom-fit').click();
    await expect.poll(async () => (await card('yields').boundingBox())?.width ?? 0).toBeGreaterThan(180);
    await page.getByTestId('review').scrollIntoViewIfNeeded();
    await shot('review-changes-tab');
    // Renewed only when asked for (WEIR_UPDATE_DOCS_SCREENSHOT=1) or missing, so that a test run leaves git clean.
    const docs = join(repo, 'docs', 'screenshots', 'review-changes-tab.png');
    if (process.env.WEIR_UPDATE_DOCS_SCREENSHOT === '1' || !existsSync(docs)) {
      await mkdir(join(repo, 'docs', 'screenshots'), { recursive: true });
      await copyFile(join(shots, 'review-changes-tab.png'), docs);
    }
    await dragPanelEdge(220);
    await page.setViewportSize({ width: 1024, height: 700 });
  }, 240_000);

  it('an edit clears the marks; a slow review of the unsaved edits is cancelled', async () => {
    await select('yields');
    // Slow on purpose: a scan of 10^11 rows that only an interrupt ends.
    await setSql(page, 'yields', 'select batch_id, round(yield, 0) as yield_pct\nfrom raw\nwhere (select sum(i % 7) from range(100000000000) t(i)) >= 0');
    await expect.poll(() => reviewed('yields')).toBe('');
    expect(await page.getByTestId('review-legend').count()).toBe(0);
    expect(await page.getByTestId('review-summary').count()).toBe(0);

    await page.getByTestId('review-start').click();
    // Cancelled once the progress line (review.progress events) says the slow node's head is being made.
    await expect.poll(() => page.getByTestId('review-progress').textContent(), { timeout: 60_000 }).toMatch(/^Reviewing: head yields \(\d+\/\d+\)…$/);
    await page.getByTestId('review-cancel').click();
    await page.getByTestId('review-cancelled').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('review-summary').count()).toBe(0);
    expect(await reviewed('yields')).toBe('');
    expect(await page.getByTestId('review-start').isEnabled()).toBe(true);
  }, 180_000);
});
