// Renders icon.svg to icon.png (1024×1024) and the Linux sizes in icons/, with Chromium.
// electron-builder derives the .icns and .ico from icon.png. Run: node resources/render-icon.mjs
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
const svg = readFileSync(join(here, 'icon.svg'), 'utf8');
const profile = mkdtempSync(join(tmpdir(), 'weir-icon-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = ctx.pages()[0] ?? (await ctx.newPage());
mkdirSync(join(here, 'icons'), { recursive: true });
for (const size of [1024, 512, 256, 128, 64, 32, 16]) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  const out = size === 1024 ? join(here, 'icon.png') : join(here, 'icons', `${size}x${size}.png`);
  await page.screenshot({ path: out, omitBackground: true });
}
await ctx.close();
rmSync(profile, { recursive: true, force: true });
