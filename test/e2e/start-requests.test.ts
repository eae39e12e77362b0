import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigPipelineText } from '../../bench/lib/big-pipeline';
import { startDesigner, writeEmptyWorkspace, type Designer } from './support/designer';

/**
 * The page's first requests go out from its first, small module, before the app's code is
 * fetched and evaluated (figure 7a of `npm run bench`): here the app's chunk is held back by
 * the browser until the session, app.start and the pipeline's read have been sent, and the
 * designer still opens the pipeline with those answers. Were the requests sent by the app,
 * none would come while its code is held.
 */
let designer: Designer;
let page: Page;
const sent: string[] = [];
let sentWhileHeld: string[] | null = null;

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-start-',
    workspace: {
      name: 'start',
      async fill(dir) {
        await writeEmptyWorkspace(dir);
        await mkdir(join(dir, 'pipelines'), { recursive: true });
        await writeFile(join(dir, 'pipelines', 'first.weir.json'), bigPipelineText(20));
      },
    },
    onPage(p) {
      p.on('request', (r) => {
        const path = new URL(r.url()).pathname;
        if (path === '/launch' || path.startsWith('/api/')) sent.push(path.replace('/api/', ''));
      });
      void p.route(/\/assets\/app-main-[\w-]+\.js$/, async (route) => {
        // Held until the pipeline's read is out (or long enough to say it never came).
        for (let i = 0; i < 300 && !sent.includes('pipeline.read'); i++) await new Promise((r) => setTimeout(r, 50));
        sentWhileHeld = [...sent];
        await route.continue();
      });
    },
  });
  page = designer.page;
}, 180_000);

afterAll(() => designer?.stop());

describe('the first requests', () => {
  it('are sent before the app is evaluated, and the designer opens the pipeline with their answers', async () => {
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="node-card"]').length === 20, null, { timeout: 60_000 });
    expect(sentWhileHeld).toEqual(['/launch', 'app.start', 'pipeline.read']);
    // Read once: the app took the early answer rather than asking again.
    expect(sent.filter((m) => m === 'pipeline.read')).toHaveLength(1);
    expect(sent.filter((m) => m === 'app.start')).toHaveLength(1);
    await expect.poll(() => page.title()).toBe('canvas_20 — Weir');
  });
});
