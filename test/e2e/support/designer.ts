import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { CHROMIUM, launchChromium } from './browser';
import { ensureRendererBuilt, repo } from './renderer-build';
import { startServe, type Served } from './serve';

/** Where the e2e tests put their screenshots. */
export const shots = join(repo, 'test-artifacts', 'e2e');

export type Chromium = Awaited<ReturnType<typeof launchChromium>>;

/** The designer in Chromium against `weir serve`, on a temp folder. */
export interface Designer {
  /** The temp folder: the workspace (if any) and WEIR_HOME are inside it. */
  base: string;
  workspace: string | undefined;
  /** WEIR_HOME, the user's Weir folder (`<base>/home`). */
  home: string;
  served: Served;
  browser: Chromium;
  page: Page;
  /** Closes Chromium (throwing if the page had errors), stops the server and removes the temp folder. */
  stop(): Promise<void>;
}

/** A workspace with a `pipelines` folder and one environment (dev) without connections. */
export async function writeEmptyWorkspace(workspace: string): Promise<void> {
  await mkdir(join(workspace, 'pipelines'), { recursive: true });
  await writeFile(
    join(workspace, 'weir.workspace.json'),
    JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} } } }, null, 2),
  );
}

/**
 * Starts the designer as the e2e tests use it: builds the renderer when stale, makes a temp
 * folder (`prefix`), lets `workspace.fill` make the workspace `<temp>/<workspace.name>` (no
 * workspace: weir serve falls back to the user's folder, `<temp>/home`), starts `weir serve`
 * and Chromium, opens the page and waits until `ready` (by default: the workspace button
 * shows the workspace's name). `onPage` sees the page before it loads (console, workers).
 * What was started is stopped again when a step fails.
 */
export async function startDesigner(opts: {
  prefix: string;
  workspace?: { name: string; fill(dir: string): Promise<void> | void };
  onPage?: (page: Page) => void;
  ready?: (page: Page) => Promise<unknown>;
}): Promise<Designer> {
  expect(existsSync(CHROMIUM), `${CHROMIUM} (apt-get install chromium)`).toBe(true);
  await ensureRendererBuilt();
  await mkdir(shots, { recursive: true });
  const base = await mkdtemp(join(tmpdir(), opts.prefix));
  let served: Served | undefined;
  let browser: Chromium | undefined;
  const stop = async () => {
    try {
      await browser?.close();
    } finally {
      await served?.stop();
      await rm(base, { recursive: true, force: true });
    }
  };
  try {
    const workspace = opts.workspace ? join(base, opts.workspace.name) : undefined;
    if (workspace) await opts.workspace!.fill(workspace);
    const home = join(base, 'home');
    served = await startServe({ workspace, home });
    browser = await launchChromium();
    const { page } = browser;
    opts.onPage?.(page);
    await page.goto(served.url);
    if (opts.ready) await opts.ready(page);
    else if (workspace) await page.getByTestId('workspace-button').filter({ hasText: basename(workspace) }).waitFor();
    return { base, workspace, home, served, browser, page, stop };
  } catch (e) {
    await stop().catch(() => undefined); // the first failure is the one to report
    throw e;
  }
}

/**
 * The canvas and inspector helpers the e2e tests share. `page` is a getter: a test may
 * replace its page (a new tab after a crash) and the helpers follow.
 */
export function designerUi(page: () => Page) {
  const card = (name: string) => page().locator(`[data-testid="node-card"][data-node-name="${name}"]`);
  return {
    card,
    cards: () => page().locator('[data-testid="node-card"]'),
    shot: (name: string) => page().screenshot({ path: join(shots, `${name}.png`) }),
    /** Clicks a node's card and waits until the inspector shows that node. */
    async select(name: string): Promise<void> {
      const want = await card(name).getAttribute('data-node-id');
      await card(name).locator('.node-name').click();
      // Clicked again while the inspector shows another node: on a loaded machine a click can
      // land while the canvas is still panning to the last selection (seen once in a full run).
      await expect
        .poll(async () => {
          const shown = await page()
            .locator('[data-testid="inspector"]')
            .getAttribute('data-node-id', { timeout: 2_000 })
            .catch(() => null);
          if (shown !== want) await card(name).locator('.node-name').click();
          return shown;
        })
        .toBe(want);
    },
    /** Shows a tab of the bottom panel, from the More menu when the panel is too narrow for it (1024 px). */
    async showTab(tab: string): Promise<void> {
      const t = page().getByTestId(`tab-${tab}`);
      if ((await t.count()) === 0) {
        await page().getByTestId('tab-more').click();
        await page().getByTestId(`tab-menu-${tab}`).click();
      } else if ((await t.getAttribute('aria-selected')) !== 'true') await t.click();
      await expect.poll(() => page().getByTestId(`tab-${tab}`).getAttribute('aria-selected')).toBe('true');
    },
    /** Saves with the keyboard and waits until the document reads as saved. */
    async saveAndWait(): Promise<void> {
      await page().keyboard.press('Control+s');
      await page().getByTestId('saved').waitFor();
    },
  };
}
