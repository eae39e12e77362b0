import { existsSync, readdirSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePipeline } from '../../shared/pipeline/parse';
import { filesUnder } from '../support/find-files';
import { TEMPLATE_PIPELINE, copyTemplate } from '../support/templates';
import { designerUi, shots, startDesigner, type Designer } from './support/designer';
import { setSql, sqlValue, waitForSqlEditor } from './support/monaco';

/**
 * The sandbox's refusals in the designer (Chromium against `weir serve`, on a copy of the CGT
 * template): SQL the engine would refuse shows in the problems list and on its card before
 * anything runs, Preview and Run refuse it without asking the engine to compute, and once the
 * SQL is fixed the problem goes and Preview shows rows again.
 */
let designer: Designer;
let workspace: string;
let page: Page;

const FILE = TEMPLATE_PIPELINE['cgt-batch-release'];
const NODE = 'clean_batches'; // the SQL node named "batches"
/** Where the hostile COPY would write: outside the workspace, a name nothing else uses. */
const CANARY_NAME = `weir-sandbox-canary-${process.pid}-${Date.now()}.csv`;
const CANARY = join(tmpdir(), CANARY_NAME);
const COPY_REFUSAL = 'node "batches": holds 2 statements; it must be exactly one SELECT query';

const { card, shot, select } = designerUi(() => page);
const problemsCount = () => page.getByTestId('problems-count');
const editor = () => page.locator(`[data-testid="sql-editor"][data-node-id="${NODE}"][data-slot="sql"]`);

/** No file named like the canary anywhere: in the temp folder, or in the workspace (a COPY could aim at either). */
function canaryWritten(): boolean {
  return existsSync(CANARY) || readdirSync(tmpdir()).includes(CANARY_NAME) || filesUnder(workspace).some((f) => f.endsWith(CANARY_NAME));
}

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-sandbox-',
    workspace: { name: 'cgt', fill: (dir) => void copyTemplate('cgt-batch-release', { to: dir }) },
    ready: (p) => designerUi(() => p).card('batch_release').waitFor({ timeout: 30_000 }),
  });
  workspace = designer.workspace!;
  page = designer.page;
}, 180_000);

afterAll(() => designer?.stop());

describe("the sandbox's refusals in the designer", () => {
  it('lists a COPY typed into a SQL node, refuses Preview and Run without running it, and previews again once it is fixed', async () => {
    const onDisk = await readFile(join(workspace, FILE), 'utf8');
    const original = (parsePipeline(onDisk).pipeline.nodes.find((n) => n.id === NODE)!.config.sql as string[]).join('\n');
    await expect.poll(() => problemsCount().textContent(), { timeout: 30_000 }).toBe('No problems');

    // Typed as a user would, at the end of the node's SQL.
    await select('batches');
    await waitForSqlEditor(page, NODE);
    await editor().locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText(`;\nCOPY (select 42 as leaked) TO '${CANARY}'`);
    await expect.poll(() => sqlValue(page, NODE)).toBe(`${original};\nCOPY (select 42 as leaked) TO '${CANARY}'`);

    // The engine's refusal, in the status bar's count, on the card, in the node's inspector and in the list.
    await expect.poll(() => problemsCount().textContent(), { timeout: 15_000 }).toBe('1 problem');
    expect(await card('batches').getAttribute('class')).toContain('has-issues');
    expect(await page.locator('[data-testid="inspector"] .field-issue').allTextContents()).toContain(COPY_REFUSAL);
    await select('specs');
    await problemsCount().click();
    const list = page.getByTestId('problems-list');
    expect(await list.locator('li').allTextContents()).toEqual([`batches ${COPY_REFUSAL}`]);
    const picture = join(designer.base, 'sandbox-problem.png');
    await page.screenshot({ path: picture });
    await copyFile(picture, join(shots, '60-sandbox-problem.png'));
    // A problem selects its node and brings its card into view, close enough to read its "!".
    await list.locator('li button').click();
    await expect.poll(() => page.locator('[data-testid="inspector"]').getAttribute('data-node-id')).toBe(NODE);
    await expect.poll(() => list.count()).toBe(0);
    await expect.poll(() => card('batches').locator('.node-issue').getAttribute('title')).toBe("SQL: holds 2 statements; it must be exactly one SELECT query");
    await page.screenshot({ path: join(designer.base, 'sandbox-problem-picked.png') });
    await copyFile(join(designer.base, 'sandbox-problem-picked.png'), join(shots, '61-sandbox-problem-picked.png'));

    // Preview refuses, naming the node; so does the preview of a node computed from it.
    await page.getByTestId('preview').click();
    await expect.poll(() => page.getByTestId('preview-error').textContent(), { timeout: 15_000 }).toBe(`Cannot preview: ${COPY_REFUSAL}`);
    // The whole pipeline in view again (picking the problem zoomed in on its card).
    await page.getByTestId('zoom-fit').click();
    await page.waitForTimeout(400); // the zoom animation
    await select('batch_release');
    await page.getByTestId('preview').click();
    await expect.poll(() => page.getByTestId('preview-error').textContent(), { timeout: 15_000 }).toBe(`Cannot preview: ${COPY_REFUSAL}`);
    await page.getByTestId('preview-error').waitFor();
    await page.screenshot({ path: join(designer.base, 'sandbox-preview-refused.png') });
    await copyFile(join(designer.base, 'sandbox-preview-refused.png'), join(shots, '62-sandbox-preview-refused.png'));

    // Run refuses before saving: the file is as it was, no run record.
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('toast-error').locator('span').allTextContents(), { timeout: 15_000 }).toContain(`Cannot run: ${COPY_REFUSAL}`);
    expect(await readFile(join(workspace, FILE), 'utf8')).toBe(onDisk);
    expect(existsSync(join(workspace, '.weir', 'runs')) ? readdirSync(join(workspace, '.weir', 'runs')) : []).toEqual([]);
    expect(await page.getByTestId('run-summary').count()).toBe(0);
    expect(canaryWritten()).toBe(false);
    await page.getByTestId('toast-error').getByRole('button', { name: 'Dismiss' }).click();

    // Other refusals of the sandbox show the same way: a file read in SQL, a node that is not an input.
    await select('batches');
    await setSql(page, NODE, "select * from read_text('/etc/passwd')");
    await expect.poll(() => page.locator('[data-testid="inspector"] .field-issue').allTextContents(), { timeout: 15_000 }).toEqual([
      expect.stringMatching(/^node "batches": .*read_text/),
    ]);
    await setSql(page, NODE, 'select * from specs');
    await expect
      .poll(() => page.locator('[data-testid="inspector"] .field-issue').allTextContents(), { timeout: 15_000 })
      .toEqual(['node "batches": reads "specs", which is not an input of this node (did you mean to add specs as an input?)']);

    // Fixed: the problem goes, and Preview computes the node again.
    await setSql(page, NODE, original);
    await expect.poll(() => problemsCount().textContent(), { timeout: 15_000 }).toBe('No problems');
    expect(await card('batches').locator('.node-issue').count()).toBe(0);
    await page.getByTestId('preview').click();
    const grid = page.getByTestId('preview-grid');
    await grid.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('preview-node').textContent()).toBe('batches');
    expect(Number(await grid.getAttribute('data-rows'))).toBeGreaterThan(0);
    expect(await page.getByTestId('preview-error').count()).toBe(0);
    await shot('63-sandbox-fixed');
    expect(canaryWritten()).toBe(false);
  }, 240_000);
});
