import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shots, startDesigner, type Designer } from './support/designer';

/**
 * The first start, with nothing configured: the designer opens a copy of the CGT batch
 * release template in the user's Weir folder, and it runs with nothing else installed.
 */
let designer: Designer;

beforeAll(async () => {
  // No workspace: weir serve starts in the user's Weir folder.
  designer = await startDesigner({
    prefix: 'weir-e2e-home-',
    ready: (page) => page.getByTestId('workspace-button').filter({ hasText: 'sample-workspace' }).waitFor(),
  });
}, 180_000);

afterAll(() => designer?.stop());

describe('the first start', () => {
  it('opens the sample workspace with the CGT template, and runs it to the end', async () => {
    const { page, home } = designer;
    expect(existsSync(join(home, 'sample-workspace', 'pipelines', 'batch_release.weir.json'))).toBe(true);
    const cards = page.locator('[data-testid="node-card"]');
    await expect.poll(() => cards.count()).toBeGreaterThan(8);
    await page.screenshot({ path: join(shots, '10-sample-workspace.png') });

    await page.getByTestId('run').click();
    await page.getByTestId('run-summary').filter({ hasText: 'Run succeeded' }).waitFor({ timeout: 60_000 });
    const statuses = await page.locator('[data-testid="node-card"] .node-status').evaluateAll((els) => els.map((e) => e.className));
    expect(statuses.length).toBe(await cards.count());
    expect(statuses.every((c) => c.includes('st-done'))).toBe(true);
    await page.screenshot({ path: join(shots, '11-sample-run-done.png') });

    // Preview a node: its first rows, from the engine.
    await page.locator('[data-testid="node-card"][data-node-name="batch_release"] .node-name').click();
    await page.getByTestId('preview').click();
    const grid = page.getByTestId('preview-grid');
    await grid.waitFor({ timeout: 30_000 });
    expect(await grid.getAttribute('data-rows')).toBe('40');
    expect(await grid.locator('[data-testid="grid-header"] .col-name').allTextContents()).toEqual(expect.arrayContaining(['batch_id']));

    await page.getByTestId('theme').click();
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await page.screenshot({ path: join(shots, '12-sample-dark.png') });
  });
});
