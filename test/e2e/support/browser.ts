import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Headless, no sandbox (we run as root), no GPU, and none of Chromium's own network traffic. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The e2e tier's one Chromium (global-setup.ts): its playwright server's address, for chromium.connect. */
export const SHARED_CHROMIUM_ENV = 'WEIR_TEST_CHROMIUM_WS';

const VIEWPORT = { width: 1600, height: 1000 };

/**
 * A browser of its own for a test file: a fresh context (cookies, storage, cache of its own,
 * as a fresh profile has) in the tier's one Chromium when global-setup.ts started it, or a
 * Chromium with a fresh profile when a file runs without it. Starting a Chromium per file
 * cost 1.3 s on a quiet machine and 2 s and more on a loaded one; a context costs 0.7 s.
 */
export async function launchChromium(): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const shared = process.env[SHARED_CHROMIUM_ENV];
  let context: BrowserContext;
  let release: () => Promise<void>;
  if (shared) {
    const browser = await chromium.connect(shared);
    context = await browser.newContext({ viewport: VIEWPORT });
    release = async () => {
      await context.close();
      await browser.close(); // a connected browser only disconnects: the tier's Chromium stays
    };
  } else {
    const profile = mkdtempSync(join(tmpdir(), 'weir-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, viewport: VIEWPORT, args: CHROMIUM_FLAGS });
    release = async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    };
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    context,
    page,
    close: async () => {
      await release();
      if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
    },
  };
}
