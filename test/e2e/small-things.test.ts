import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_PIPELINE, copyTemplate } from '../support/templates';
import { CHROMIUM, CHROMIUM_FLAGS } from './support/browser';
import { designerUi, shots, startDesigner, type Designer } from './support/designer';

/**
 * The small things of issue #15 (item 15), at 1024x700 on the CGT template in a git
 * repository: parameter names and types read whole, one 24-hour clock in History and the run
 * log, durations that do not wrap, a git history with room, a command-line hint that a run
 * accepts, an empty pipeline that does not claim to be ready and whose hint stays clear of
 * the map, and a tab without a session that says what is wrong.
 */
let designer: Designer;
let page: Page;
let other: Browser | null = null;

const SUBJECT = 'First version of batch release';
const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();

/** How many lines an element's text takes. */
const lines = (selector: string) =>
  page.locator(selector).evaluateAll((els) =>
    els.filter((e) => e.textContent?.trim()).map((e) => {
      const range = document.createRange();
      range.selectNodeContents(e);
      return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    }),
  );

/** One run of the template for the tests that read its log and history, whichever runs first. */
let ran: Promise<void> | null = null;
function ensureRun(): Promise<void> {
  ran ??= (async () => {
    await page.getByTestId('run').click();
    await page.getByTestId('run-summary').filter({ hasText: 'Run succeeded' }).waitFor({ timeout: 90_000 });
  })();
  return ran;
}

const { showTab } = designerUi(() => page);

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-small-',
    workspace: {
      name: 'cgt',
      fill(dir) {
        copyTemplate('cgt-batch-release', { to: dir });
        git(dir, 'init', '--quiet', '--initial-branch=main');
        git(dir, 'config', 'user.name', 'Ada Tester');
        git(dir, 'config', 'user.email', 'ada@example.com');
        git(dir, 'config', 'commit.gpgsign', 'false');
        git(dir, 'add', '--', TEMPLATE_PIPELINE['cgt-batch-release']);
        git(dir, 'commit', '--quiet', '-m', SUBJECT);
      },
    },
  });
  page = designer.page;
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.locator('[data-testid="node-card"]').nth(10).waitFor();
}, 180_000);

afterAll(async () => {
  await other?.close();
  await designer?.stop();
});

describe('small things at 1024x700', () => {
  it("reads a parameter's name and type whole, in the pipeline inspector and the Parameters tab", async () => {
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    const name = page.locator('.param-row [aria-label="Parameter name"]');
    await name.waitFor();
    expect(await name.inputValue()).toBe('min_viability_pct');
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    // The type's select is as wide as its longest option needs (as it would be alone).
    const fit = await page.locator('.param-row [aria-label="Type"]').evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLSelectElement;
      copy.style.cssText = 'position:absolute;visibility:hidden;width:auto;min-width:0;max-width:none';
      el.parentElement!.appendChild(copy);
      const natural = copy.getBoundingClientRect().width;
      copy.remove();
      return { natural, actual: el.getBoundingClientRect().width, value: (el as HTMLSelectElement).value };
    });
    expect(fit.value).toBe('number');
    expect(fit.actual).toBeGreaterThanOrEqual(fit.natural - 0.5);
    await page.screenshot({ path: join(shots, 'small-params-inspector.png') });

    await showTab('params');
    // The name and type columns (the first two), each on one line.
    expect(await lines('.params-table tbody td.param-name')).toEqual([1]);
    expect(await lines('.params-table tbody td.param-type')).toEqual([1]);
  });

  it('shows a command-line hint with a value the run accepts, never the invalid one typed', async () => {
    await showTab('params');
    const cli = page.locator('[data-testid="params-panel"] > p code');
    expect(await cli.textContent()).toBe('weir run pipelines/batch_release.weir.json --param min_viability_pct=70');
    await page.getByTestId('param-min_viability_pct').fill('abc');
    await expect.poll(() => cli.textContent()).toBe('weir run pipelines/batch_release.weir.json --param min_viability_pct=70');
    await page.getByTestId('param-min_viability_pct').fill('85');
    await expect.poll(() => cli.textContent()).toBe('weir run pipelines/batch_release.weir.json --param min_viability_pct=85');
    await page.screenshot({ path: join(shots, 'small-params-tab.png') });
    await page.getByTestId('param-min_viability_pct').fill('');
  });

  it('writes History and the run log on the same 24-hour clock', async () => {
    await ensureRun();
    await showTab('log');
    const logTime = (await page.locator('[data-testid="log-line"] time').first().innerText()).trim();
    expect(logTime).toMatch(/^\d{2}:\d{2}:\d{2}(\.\d{3})?$/);
    await showTab('history');
    const item = page.getByTestId('history-item').first();
    await item.waitFor();
    const when = (await item.locator('.history-when').innerText()).trim();
    expect(when).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(`${when} ${logTime}`).not.toMatch(/AM|PM/i);
    // The run started within a second or two of its first log line: the same clock reads the same.
    const seconds = (t: string) => t.split(':').reduce((a, x) => a * 60 + Math.floor(Number(x)), 0);
    const apart = Math.abs(seconds(when) - seconds(logTime));
    expect(Math.min(apart, 86_400 - apart)).toBeLessThanOrEqual(2);
  });

  it('keeps "101 ms" and the status on one line in History', async () => {
    await ensureRun();
    await showTab('history');
    const item = page.getByTestId('history-item').first();
    await item.waitFor();
    expect(new Set(await lines('[data-testid="history-item"] > span.muted.small'))).toEqual(new Set([1]));
    expect(new Set(await lines('[data-testid="history-item"] .status-chip'))).toEqual(new Set([1]));
    await item.click();
    await page.getByTestId('history-record').waitFor();
    expect(new Set(await lines('.history-nodes td.num'))).toEqual(new Set([1]));
    await page.screenshot({ path: join(shots, 'small-history.png') });
  });

  it('gives the git history room: the subject whole, the buttons inside the entry', async () => {
    await showTab('changes');
    const entry = page.getByTestId('git-history-entry').first();
    await entry.waitFor();
    expect(await entry.locator('.subject').textContent()).toBe(SUBJECT);
    const g = await entry.evaluate((li) => {
      const r = li.getBoundingClientRect();
      const subject = li.querySelector('.subject')!;
      return {
        cut: subject.scrollWidth > subject.clientWidth,
        buttons: [...li.querySelectorAll('button')].map((b) => b.getBoundingClientRect()).map((b) => b.right <= r.right + 0.5 && b.left >= r.left - 0.5),
        height: r.height,
      };
    });
    expect(g.cut).toBe(false);
    expect(g.buttons).toEqual([true, true]);
    expect(g.height).toBeLessThan(60); // two lines: commit, subject, buttons; then who and when
    expect(await entry.locator('.meta').innerText()).toMatch(/^Ada Tester, \d{2}:\d{2}:\d{2}$/);
    await page.screenshot({ path: join(shots, 'small-git-history.png') });
  });

  it('does not call an empty pipeline ready to run, and keeps its hint clear of the map and the controls', async () => {
    await page.getByTestId('new-pipeline').click();
    // Typed as words: said in words (not "expected an SQL identifier"), no "Saved as" a file that
    // will not be made, and the name that would do, one click away.
    await page.getByTestId('new-pipeline-name').fill('Empty one');
    const problem = page.getByTestId('new-pipeline-problem');
    await expect.poll(() => problem.innerText()).toMatch(/^A pipeline's name is how SQL and its file name it: letters, digits and _ only/);
    expect(await page.getByText('Saved as pipelines/Empty one.weir.json').count()).toBe(0);
    expect(await page.getByTestId('create-pipeline').isDisabled()).toBe(true);
    await page.getByTestId('new-pipeline-suggestion').click();
    await expect.poll(() => page.getByTestId('new-pipeline-name').inputValue()).toBe('empty_one');
    await page.getByText('Saved as pipelines/empty_one.weir.json').waitFor();
    await page.getByTestId('create-pipeline').click();
    await page.getByText('Drag a node from the palette').waitFor();
    const inspector = page.locator('.inspector');
    await expect.poll(() => inspector.innerText()).toContain('nothing to run');
    expect(await inspector.innerText()).not.toContain('ready to run');

    const clear = async () => {
      const boxes = await page.evaluate(() => {
        const r = (e: Element | null) => {
          const b = e?.getBoundingClientRect();
          return b ? { left: b.left, right: b.right, top: b.top, bottom: b.bottom } : null;
        };
        return {
          hint: [...document.querySelectorAll('.canvas-empty p')].map((p) => {
            const range = document.createRange();
            range.selectNodeContents(p);
            return [...range.getClientRects()].map((x) => ({ left: x.left, right: x.right, top: x.top, bottom: x.bottom }));
          }),
          map: r(document.querySelector('[data-testid="overview-map"]')),
          controls: r(document.querySelector('.react-flow__controls')),
        };
      });
      const overlaps = (a: { left: number; right: number; top: number; bottom: number }, b: typeof a | null) => !!b && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const text = boxes.hint.flat();
      expect(text.length).toBeGreaterThan(1);
      return text.filter((t) => overlaps(t, boxes.map) || overlaps(t, boxes.controls)).length;
    };
    expect(await clear()).toBe(0);
    // Nothing to overview: no map for the hint to run under.
    expect(await page.getByTestId('overview-map').isVisible()).toBe(false);
    // A short canvas: the bottom panel open at its tallest.
    await showTab('preview');
    const sep = page.getByRole('separator', { name: 'Resize the bottom panel' });
    await sep.focus();
    await page.keyboard.press('Home');
    await page.screenshot({ path: join(shots, 'small-empty-pipeline.png') });
    expect(await clear()).toBe(0);
  });
});

describe('a tab without a session', () => {
  it('says what is wrong and how to get a link that works, not "Open workspace…"', async () => {
    other = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    const tab = await (await other.newContext({ viewport: { width: 1024, height: 700 } })).newPage();
    await tab.goto(`${designer.served.origin}/`);
    await tab.locator('.welcome').getByText('This browser has no Weir session.').waitFor();
    expect(await tab.getByRole('button', { name: /Open workspace/ }).count()).toBe(0);
    expect(await tab.getByRole('heading', { level: 1 }).textContent()).toBe('This tab is not signed in to Weir');
    expect(await tab.getByTestId('no-session-reason').textContent()).toContain('This browser has no Weir session.');
    expect(await tab.getByTestId('no-session').innerText()).toContain('How to get a link that works');
    await tab.screenshot({ path: join(shots, 'small-no-session.png') });

    // A link whose code is not (or no longer) good says so.
    const used = await (await other.newContext()).newPage();
    await used.goto(`${designer.served.origin}/#launch=not-a-code`);
    await used.locator('.welcome').getByText('This link was already used, or is not from this start of weir serve.').waitFor();
    expect(await used.getByRole('button', { name: /Open workspace/ }).count()).toBe(0);
    expect(await used.getByTestId('no-session-reason').textContent()).toContain('This link was already used, or is not from this start of weir serve.');
  });
});
