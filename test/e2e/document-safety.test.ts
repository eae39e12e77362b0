import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/canonical';
import type { Pipeline } from '../../shared/pipeline/schema';
import { designerUi, startDesigner, type Designer } from './support/designer';

/**
 * No lost work, changes from outside, safe runs (issue #15 items 1, 5, 6, 8, 9), in Chromium
 * against `weir serve` on a git workspace with two pipelines and a protected prod environment.
 * The tests share one page and run in order.
 */
let designer: Designer;
let page: Page;
let workspace: string;
const LOTS = 'pipelines/lots.weir.json';
const SLOW = 'pipelines/slow.weir.json';
const { card, shot, select, saveAndWait } = designerUi(() => page);

const raw: Pipeline['nodes'][number] = { id: 'raw', name: 'raw', kind: 'seed', inputs: [], config: { columns: [{ name: 'lot', type: 'VARCHAR' }, { name: 'v', type: 'DOUBLE' }], rows: [['B1', 91], ['B2', 60]] } };
const good = (threshold: number): Pipeline['nodes'][number] => ({ id: 'good', name: 'good', kind: 'sql', inputs: ['raw'], config: { materialize: 'auto', sql: ['select lot, v', 'from raw', `where v >= ${threshold}`] } });
const lots = (threshold: number, description: string): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'lots',
  description,
  params: {},
  nodes: [raw, good(threshold)],
  layout: { raw: { x: 40, y: 40 }, good: { x: 340, y: 40 } },
});
const COMMITTED = 'Lots at or above the threshold';
const slow: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'slow',
  params: {},
  nodes: [
    { id: 'start', name: 'start', kind: 'seed', inputs: [], config: { columns: [{ name: 'n', type: 'BIGINT' }], rows: [[1]] } },
    // Minutes of hashing: only a cancel ends it within the test.
    { id: 'slow', name: 'slow', kind: 'sql', inputs: ['start'], config: { materialize: 'table', sql: ['select sum(hash(i)) as h', 'from range(5000000000) t(i)'] } },
  ],
  layout: { start: { x: 40, y: 40 }, slow: { x: 340, y: 40 } },
};

const git = (...args: string[]) => execFileSync('git', args, { cwd: workspace, encoding: 'utf8' }).trim();
const file = (rel: string) => join(workspace, rel);
const draftFile = (rel: string) => join(workspace, '.weir', 'drafts', `${encodeURIComponent(rel)}.json`);
const draftText = async (rel: string) => (existsSync(draftFile(rel)) ? readFile(draftFile(rel), 'utf8') : '(no draft)');
const runRecords = () => (existsSync(join(workspace, '.weir', 'runs')) ? readdirSync(join(workspace, '.weir', 'runs')).filter((f) => f.endsWith('.json')).length : 0);
const item = (rel: string) => page.locator(`[data-testid="pipeline-item"][data-path="${rel}"]`);
const mark = (rel: string) => item(rel).locator('[data-testid="git-mark"]').textContent();
const description = () => page.locator('#pipeline-description');

async function openPipeline(rel: string): Promise<void> {
  await item(rel).click();
  await expect.poll(() => page.locator('.pipeline-item.active').getAttribute('data-path')).toBe(rel);
  await expect.poll(() => page.locator('[data-testid="node-card"]').count()).toBeGreaterThan(0);
}

async function showTab(tab: string): Promise<void> {
  const t = page.getByTestId(`tab-${tab}`);
  if ((await t.getAttribute('aria-selected')) !== 'true') await t.click();
  await expect.poll(() => t.getAttribute('aria-selected')).toBe('true');
}

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-safety-',
    workspace: {
      name: 'plant',
      async fill(dir) {
        workspace = dir;
        const { mkdir } = await import('node:fs/promises');
        await mkdir(join(dir, 'pipelines'), { recursive: true });
        await writeFile(
          join(dir, 'weir.workspace.json'),
          JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections: {} }, prod: { protected: true, connections: {} } } }, null, 2),
        );
        await writeFile(join(dir, LOTS), serializePipeline(lots(70, COMMITTED)));
        await writeFile(join(dir, SLOW), serializePipeline(slow));
        git('init', '--quiet', '--initial-branch=main');
        git('config', 'user.name', 'Ada Tester');
        git('config', 'user.email', 'ada@example.com');
        git('config', 'commit.gpgsign', 'false');
        git('add', '--', LOTS, SLOW, 'weir.workspace.json');
        git('commit', '--quiet', '-m', 'First version');
      },
    },
  });
  page = designer.page;
  // The first pipeline of the list opens by itself.
  await page.locator(`.pipeline-item.active[data-path="${LOTS}"]`).waitFor();
  await page.locator('[data-testid="node-card"]').first().waitFor();
}, 180_000);
afterAll(() => designer?.stop());

describe('unsaved work is never lost (item 1)', () => {
  it('keeps the draft when the same pipeline is opened again, so a reload can still restore it', async () => {
    await description().fill('Lots, edited');
    await page.getByTestId('dirty').waitFor();
    await expect.poll(() => draftText(LOTS)).toContain('Lots, edited');

    // Click the same pipeline in the sidebar and agree to leave the edit.
    page.once('dialog', (d) => void d.accept());
    await item(LOTS).click();
    await page.getByTestId('recovery-banner').waitFor();
    await page.getByTestId('saved').waitFor();
    // The draft used to be deleted ~1.5 s later, once the reloaded clean document settled.
    await page.waitForTimeout(2500);
    expect(await draftText(LOTS)).toContain('Lots, edited');
    await shot('safety-01-draft-kept-after-reopen');

    await page.reload();
    await page.getByTestId('recovery-banner').waitFor();
    await page.getByTestId('restore-draft').click();
    await page.getByTestId('dirty').waitFor();
    expect(await description().inputValue()).toBe('Lots, edited');
  });

  it('writes the draft of an edit made just before leaving for another pipeline', async () => {
    // Left at once, before autosave's delay: the edit is drafted as the pipeline is left.
    await description().fill('Lots, edited just before leaving');
    page.once('dialog', (d) => void d.accept());
    await item(SLOW).click();
    await expect.poll(() => page.locator('.pipeline-item.active').getAttribute('data-path')).toBe(SLOW);
    await expect.poll(() => draftText(LOTS)).toContain('just before leaving');
    await page.waitForTimeout(1500);
    expect(await draftText(LOTS)).toContain('just before leaving');

    // Back again: offered; Discard is what deletes it.
    await openPipeline(LOTS);
    await page.getByTestId('recovery-banner').waitFor();
    await page.getByTestId('recovery-banner').getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => existsSync(draftFile(LOTS))).toBe(false);
    expect(await description().inputValue()).toBe(COMMITTED);
  });
});

describe('moving cards with the arrow keys (item 6)', () => {
  it('is undoable: a burst of presses is one step', async () => {
    await page.getByTestId('saved').waitFor();
    expect(await page.getByTestId('undo').isDisabled()).toBe(true);
    await select('good');
    await page.locator('.react-flow__node[data-id="good"]').focus();
    // Measured against the other card, so a pan of the view on focus does not count.
    const gap = async () => {
      const [a, b] = await Promise.all([card('good').boundingBox(), card('raw').boundingBox()]);
      return Math.round(a!.x - b!.x);
    };
    const before = await gap();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(gap).toBeGreaterThan(before + 5);
    await page.getByTestId('dirty').waitFor();
    expect(await page.getByTestId('undo').isEnabled()).toBe(true);

    await page.getByTestId('undo').click();
    await expect.poll(gap).toBe(before);
    await page.getByTestId('saved').waitFor();
    expect(await page.getByTestId('undo').isDisabled()).toBe(true);
    expect(await page.getByTestId('redo').isEnabled()).toBe(true);
  });
});

describe('Run and Cancel (item 5)', () => {
  it('a Cancel click landing just after the run ended starts nothing', async () => {
    await openPipeline(SLOW);
    const records = runRecords();
    await page.getByTestId('run').click();
    const cancel = page.getByTestId('cancel-run');
    await expect.poll(() => cancel.isEnabled(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('run').isDisabled()).toBe(true);
    await shot('safety-02-run-and-cancel');
    const box = (await cancel.boundingBox())!;
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await page.mouse.click(at.x, at.y);
    await page.getByTestId('run-summary').filter({ hasText: 'Run cancelled' }).waitFor({ timeout: 30_000 });

    // The same place clicked again, a moment late (a double click, a slow hand).
    await page.mouse.click(at.x, at.y);
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('run-summary').textContent()).toContain('Run cancelled');
    expect(await cancel.isDisabled()).toBe(true);
    expect(await page.getByTestId('run').isEnabled()).toBe(true);
    expect(runRecords()).toBe(records + 1);
  });
});

describe('changes made outside the app (item 8)', () => {
  it('marks the open file changed on disk, shows the diff, and keeps mine or reloads theirs; a git checkout refreshes the marks', async () => {
    await openPipeline(LOTS);
    await description().fill('mine');
    await page.getByTestId('dirty').waitFor();

    // Another editor (or a git pull) changes the file.
    await writeFile(file(LOTS), serializePipeline(lots(90, COMMITTED)));
    const banner = page.getByTestId('disk-change');
    await banner.waitFor();
    const diff = page.getByTestId('disk-change-diff');
    await expect.poll(() => diff.textContent()).toContain('where v >= 90');
    expect(await diff.textContent()).toContain('mine');
    await shot('safety-03-changed-on-disk');

    // Save now: refused, and the choice is offered again rather than only an error.
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('toast-error').last().textContent()).toContain('Reload it, or Keep mine');
    expect(await page.getByTestId('disk-reload').isVisible()).toBe(true);
    expect(await readFile(file(LOTS), 'utf8')).toContain('where v >= 90');

    // Keep mine: the edits stay, and Save writes them over the file.
    await page.getByTestId('disk-keep-mine').click();
    await banner.waitFor({ state: 'detached' });
    expect(await description().inputValue()).toBe('mine');
    await saveAndWait();
    const kept = await readFile(file(LOTS), 'utf8');
    expect(kept).toContain('"mine"');
    expect(kept).toContain('where v >= 70');
    expect(kept).not.toContain('where v >= 90');
    await expect.poll(() => mark(LOTS)).toBe('M');

    // Reload: the file as it is on disk; the edits stay in the draft, offered back.
    await description().fill('mine again');
    await page.getByTestId('dirty').waitFor();
    await writeFile(file(LOTS), serializePipeline(lots(90, 'theirs')));
    await banner.waitFor();
    await page.getByTestId('disk-reload').click();
    await banner.waitFor({ state: 'detached' });
    await expect.poll(() => description().inputValue()).toBe('theirs');
    await page.getByTestId('saved').waitFor();
    await page.getByTestId('recovery-banner').waitFor();
    expect(await draftText(LOTS)).toContain('mine again');
    await page.getByTestId('recovery-banner').getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => existsSync(draftFile(LOTS))).toBe(false);

    // git checkout of the file, with nothing unsaved: reloaded at once, and the mark is ✓ again.
    git('checkout', '--', LOTS);
    await expect.poll(() => description().inputValue()).toBe(COMMITTED);
    await expect.poll(() => mark(LOTS)).toBe('✓');
    await page.getByTestId('saved').waitFor();
    expect(await banner.count()).toBe(0);
  });
});

describe('environments (item 9)', () => {
  it('shows a protected environment in the top bar, opens Connections on it, and asks before a run against it', async () => {
    const topbar = page.getByTestId('topbar');
    expect(await topbar.getAttribute('data-env-protected')).toBeNull();
    expect(await page.getByTestId('env-badge').count()).toBe(0);

    await page.getByTestId('env-prod').click();
    await expect.poll(() => topbar.getAttribute('data-env-protected')).toBe('true');
    expect(await page.getByTestId('env-badge').textContent()).toContain('prod · protected');
    await showTab('connections');
    await expect.poll(() => page.locator('[data-testid="env-item"].active').getAttribute('data-env')).toBe('prod');
    // The notes of the test before would cover the picture (docs/screenshots/protected-environment.png).
    for (const dismiss of await page.getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click({ timeout: 2000 }).catch(() => undefined); // or gone by itself
    await expect.poll(() => page.locator('.toast').count()).toBe(0);
    await shot('safety-04-protected-environment');

    // Run against prod: asked first; No runs nothing.
    const records = runRecords();
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page.getByTestId('run').click();
    await expect.poll(() => asked).toContain('prod is a protected environment');
    await page.waitForTimeout(1000);
    expect(runRecords()).toBe(records);
    expect(await page.getByTestId('run-summary').filter({ hasText: /Run (succeeded|failed)|Running/ }).count()).toBe(0);

    // Yes runs it.
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('run-summary').textContent(), { timeout: 30_000 }).toContain('Run succeeded');
    expect(runRecords()).toBe(records + 1);

    // Back on dev: plain top bar, Connections on dev, no question.
    await page.getByTestId('env-dev').click();
    await expect.poll(() => topbar.getAttribute('data-env-protected')).toBeNull();
    await showTab('connections'); // the run opened the log
    await expect.poll(() => page.locator('[data-testid="env-item"].active').getAttribute('data-env')).toBe('dev');
    page.once('dialog', (d) => {
      asked = `unexpected: ${d.message()}`;
      void d.dismiss();
    });
    await page.getByTestId('run').click();
    await expect.poll(runRecords, { timeout: 30_000 }).toBe(records + 2);
    expect(asked).not.toContain('unexpected');
  }, 120_000);
});
