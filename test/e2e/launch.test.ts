import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_FLAGS, launchChromium } from './support/browser';
import { startDesigner, writeEmptyWorkspace, type Designer } from './support/designer';
import { startServe } from './support/serve';

/**
 * Signing in to the browser shell as a user does: the link weir serve printed, opened in
 * Chromium, becomes a session cookie the page cannot read, and leaves nothing usable behind.
 */
let designer: Designer;
let other: Browser | null = null;

beforeAll(async () => {
  designer = await startDesigner({ prefix: 'weir-e2e-launch-', workspace: { name: 'launch-ws', fill: writeEmptyWorkspace } });
}, 180_000);

afterAll(async () => {
  await other?.close();
  await designer?.stop();
});

const codeOf = (link: string) => link.split('#launch=')[1]!;

describe('the launch link', () => {
  it('signs the browser in: a clean address bar, and a session cookie that is HttpOnly and SameSite=Strict', async () => {
    const { page, served, browser } = designer;
    expect(page.url()).toBe(`${served.origin}/`);
    const cookies = await browser.context.cookies(served.origin);
    expect(cookies).toEqual([expect.objectContaining({ name: `weir_session_${new URL(served.origin).port}`, httpOnly: true, sameSite: 'Strict', path: '/' })]);
    // The page's scripts see no session and keep no code.
    const seen = await page.evaluate(() => JSON.stringify([document.cookie, location.href, { ...sessionStorage }, { ...localStorage }]));
    expect(seen).not.toContain(cookies[0]!.value);
    expect(seen).not.toContain(codeOf(served.url));
    expect(JSON.parse(seen)[0]).toBe('');
  });

  it('keeps the session on a reload and when the same browser opens the used link again', async () => {
    const { page, served, browser } = designer;
    await page.reload();
    await page.getByTestId('workspace-button').filter({ hasText: 'launch-ws' }).waitFor();
    const tab = await browser.context.newPage();
    await tab.goto(served.url);
    await tab.getByTestId('workspace-button').filter({ hasText: 'launch-ws' }).waitFor();
    expect(tab.url()).toBe(`${served.origin}/`);
    await tab.close();
  });

  it('takes the code of a link opened in a tab that already shows the designer (only the fragment changes)', async () => {
    const { page, served } = designer;
    const fresh = await served.newUrl();
    await page.goto(fresh);
    await expect.poll(() => page.url()).toBe(`${served.origin}/`);
    // Used by this page: nobody else can use it now.
    const res = await fetch(`${served.origin}/launch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: codeOf(fresh) }) });
    expect(res.status).toBe(401);
    await page.getByTestId('workspace-button').filter({ hasText: 'launch-ws' }).waitFor();
  });

  it('refuses the used link in another browser with a clear message, and the new link weir serve prints works there', async () => {
    const { served } = designer;
    other = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    const page = await (await other.newContext()).newPage();
    const printedBefore = served.stdout().split('(new one-time link)').length;
    await page.goto(served.url);
    await page.getByText('This link was already used, or is not from this start of weir serve. weir serve has printed a new one-time link in its terminal: open that one.').waitFor();
    expect(await page.getByTestId('workspace-button').filter({ hasText: 'launch-ws' }).count()).toBe(0);
    await expect.poll(() => served.stdout().split('(new one-time link)').length).toBe(printedBefore + 1);
    const fresh = /\(new one-time link\): (\S+)\n$/.exec(served.stdout())![1]!;
    await page.goto(fresh);
    await page.getByTestId('workspace-button').filter({ hasText: 'launch-ws' }).waitFor();
  });

  it('the private page weir serve hands the browser opener forwards the browser to the designer, signed in', async () => {
    const { base, workspace } = designer;
    // The opener's stand-in only notes the file it was given; Chromium then opens it as a browser would.
    const given = join(base, 'opener-arg');
    const opener = join(base, 'opener.sh');
    await writeFile(opener, `#!/bin/sh\nprintf '%s' "$1" > "${given}"\n`, { mode: 0o755 });
    const served = await startServe({ workspace, home: join(base, 'home-2'), browser: opener });
    const b = await launchChromium();
    try {
      await expect.poll(() => existsSync(given), { timeout: 20_000 }).toBe(true);
      await b.page.goto(`file://${await readFile(given, 'utf8')}`);
      await b.page.getByTestId('workspace-button').filter({ hasText: 'launch-ws' }).waitFor();
      expect(b.page.url()).toBe(`${served.origin}/`);
    } finally {
      await b.close();
      await served.stop();
    }
  });
});
