import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigPipelineText } from '../../bench/lib/big-pipeline';
import { startDesigner, writeEmptyWorkspace, type Designer } from './support/designer';

/**
 * The workspace's first pipeline is read as the page starts; a user who clicks another one in
 * the sidebar before that read answers (a slow disk, a loaded machine: the lots e2e test met it
 * in a full run) gets the one clicked, not the first one shown over it when its answer lands.
 */
let designer: Designer;
let page: Page;
let held: Route | null = null;
let release: () => void = () => {};
const released = new Promise<void>((r) => (release = r));

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-open-race-',
    workspace: {
      name: 'race',
      async fill(dir) {
        await writeEmptyWorkspace(dir);
        await mkdir(join(dir, 'pipelines'), { recursive: true });
        await writeFile(join(dir, 'pipelines', 'a_first.weir.json'), bigPipelineText(3));
        await writeFile(join(dir, 'pipelines', 'b_second.weir.json'), bigPipelineText(7));
      },
    },
    onPage(p) {
      void p.route(/\/api\/pipeline\.read$/, async (route) => {
        const body = route.request().postDataJSON() as { path?: string } | null;
        if (body?.path !== 'pipelines/a_first.weir.json' || held) return route.continue();
        // The first pipeline's read, sent as the page started: held until the test lets it go.
        held = route;
        await released;
        await route.continue();
      });
    },
  });
  page = designer.page;
}, 180_000);

afterAll(() => designer?.stop());

describe('opening a pipeline while the first one is still being read', () => {
  it('shows the pipeline clicked, also after the first read answers', async () => {
    await page.locator('[data-testid="pipeline-item"][data-path="pipelines/b_second.weir.json"]').waitFor({ timeout: 60_000 });
    expect(held).not.toBeNull();
    await page.locator('[data-testid="pipeline-item"][data-path="pipelines/b_second.weir.json"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="node-card"]').length === 7, null, { timeout: 30_000 });
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/pipeline.read') && (r.request().postDataJSON() as { path?: string }).path === 'pipelines/a_first.weir.json');
    release();
    await answered;
    // Whatever the late answer would do, it has had time to do it.
    await page.waitForTimeout(1_000);
    expect(await page.locator('.pipeline-item.active').getAttribute('data-path')).toBe('pipelines/b_second.weir.json');
    expect(await page.locator('[data-testid="node-card"]').count()).toBe(7);
  });
});
