/**
 * The e2e tier's global setup (vitest.config.ts), next to test/support/source-cli.ts (the
 * working tree's CLI bundled once, which startServe runs): the renderer built once before
 * the first file instead of racing for a lock in each, and one Chromium for the whole tier.
 * Each file connects to it and gets a context of its own (browser.ts), as clean as a new
 * profile; a Chromium started per file cost more than its tests in the short files.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, SHARED_CHROMIUM_ENV } from './browser';
import { ensureRendererBuilt } from './renderer-build';

export default async function setup(): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM)) throw new Error(`the e2e tests need ${CHROMIUM} (apt-get install chromium)`);
  await ensureRendererBuilt();
  const server = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  process.env[SHARED_CHROMIUM_ENV] = server.wsEndpoint();
  return async () => {
    delete process.env[SHARED_CHROMIUM_ENV];
    await server.close();
  };
}
