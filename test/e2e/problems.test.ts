import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/canonical';
import { parsePipeline } from '../../shared/pipeline/parse';
import type { Pipeline } from '../../shared/pipeline/schema';
import { TEMPLATE_PIPELINE, copyTemplate } from '../support/templates';
import { repo } from './support/renderer-build';
import { designerUi, shots, startDesigner, type Designer } from './support/designer';

/**
 * Issue #15 items 4 and 7, in Chromium against `weir serve` on a copy of the CGT template:
 * one problems model. Every problem (settings, a join's keys that its inputs do not have, a
 * failed preview, a failed check) names its node and field in words, the status bar counts
 * them truthfully, and a click on one selects its node and puts the caret in its field. A
 * preview of an invalid node shows the validation message, never an internal error.
 */
let designer: Designer;
let workspace: string;
let page: Page;

const TEMPLATE = TEMPLATE_PIPELINE['cgt-batch-release'];
const PROBLEMS = 'pipelines/problems.weir.json';

/** A small pipeline with a problem of each kind the designer finds before anything runs. */
const problemsPipeline = (): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'problems',
  params: {},
  nodes: [
    { id: 'b', name: 'lots', kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'viability', type: 'DOUBLE' }], rows: [['B1', 91.5], ['B2', 64]] } },
    { id: 'a', name: 'results', kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'value', type: 'DOUBLE' }], rows: [['B1', 1]] } },
    // A join as the palette makes it: `id = id`, over inputs that have no `id`.
    { id: 'j', name: 'lot_results', kind: 'join', inputs: ['b', 'a'], config: { type: 'inner', on: [{ left: 'id', right: 'id' }], select: 'all' } },
    // avg needs its column.
    { id: 'g', name: 'mean_viability', kind: 'aggregate', inputs: ['b'], config: { group_by: ['batch_id'], aggregates: [{ fn: 'avg' }] } },
    // Valid settings, SQL that DuckDB refuses: found by a preview.
    { id: 's', name: 'lot_summary', kind: 'sql', inputs: ['b'], config: { materialize: 'auto', sql: ['select batch_id, no_such_column', 'from lots'] } },
  ],
  layout: { b: { x: 0, y: 0 }, a: { x: 0, y: 200 }, j: { x: 320, y: 100 }, g: { x: 320, y: -120 }, s: { x: 320, y: 320 } },
});

const { card, shot, select, saveAndWait } = designerUi(() => page);
const count = () => page.getByTestId('problems-count');
const list = () => page.getByTestId('problems-list');
const inspectorNode = () => page.locator('[data-testid="inspector"]').getAttribute('data-node-id');
/** The form field (`data-field`) that holds the focused element, and the node the inspector shows. */
const focusedField = () => page.evaluate(() => document.activeElement?.closest('[data-field]')?.getAttribute('data-field') ?? null);

async function openPipeline(path: string): Promise<void> {
  await page.locator(`[data-testid="pipeline-item"][data-path="${path}"]`).click();
  await expect.poll(() => page.locator('.pipeline-item.active').getAttribute('data-path')).toBe(path);
  await expect.poll(() => page.locator('[data-testid="node-card"]').count()).toBeGreaterThan(0);
}

async function openList(): Promise<void> {
  if (!(await list().count())) await count().click();
  await list().waitFor();
}

/** Picks the problem whose line reads `text` (node name, then message). */
async function pick(text: string): Promise<void> {
  await openList();
  await list().locator('li', { hasText: text }).locator('button').click();
}

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-problems-',
    workspace: {
      name: 'cgt',
      fill: async (dir) => {
        copyTemplate('cgt-batch-release', { to: dir });
        await writeFile(join(dir, PROBLEMS), serializePipeline(problemsPipeline()));
      },
    },
    ready: (p) => designerUi(() => p).card('batch_release').waitFor({ timeout: 30_000 }),
  });
  workspace = designer.workspace!;
  page = designer.page;
}, 180_000);

afterAll(() => designer?.stop());

describe('one problems model', () => {
  it('counts every problem truthfully (a join naming columns that do not exist too), names node and field, and a click focuses the field', async () => {
    await openPipeline(PROBLEMS);
    // The aggregate's missing column, and each of the join's keys once the inputs' columns are known.
    await expect.poll(() => count().textContent(), { timeout: 20_000 }).toBe('3 problems');
    await openList();
    const lines = await list().locator('li').allTextContents();
    expect(lines).toEqual([
      'mean_viability expected the column avg reads',
      'lot_results "id" is not a column of lots (its columns: batch_id, viability)',
      'lot_results "id" is not a column of results (its columns: batch_id, value)',
    ]);
    // The field, in words, beside the node (drawn from data-label), and for a screen reader.
    expect(await list().locator('.issue-field').evaluateAll((els) => els.map((e) => e.getAttribute('data-label')))).toEqual([
      'Aggregates #1 › Column',
      'Match on #1 › Left column',
      'Match on #1 › Right column',
    ]);
    expect(await list().locator('li button').first().getAttribute('aria-label')).toBe('mean_viability: expected the column avg reads (Aggregates #1 › Column, settings)');
    for (const line of lines) expect(line).not.toMatch(/nodes\[\d+\]|\ba aggregate\b/);

    // A click selects the node and puts the caret in the field the problem is about.
    await pick('expected the column avg reads');
    await expect.poll(inspectorNode).toBe('g');
    await expect.poll(focusedField).toBe('aggregates.0.column');
    expect(await list().count()).toBe(0); // the list closed
    await pick('is not a column of results');
    await expect.poll(inspectorNode).toBe('j');
    await expect.poll(focusedField).toBe('on.0.right');
    // The card is marked like any node with problems, and the form says it under the field too.
    expect(await card('lot_results').getAttribute('class')).toMatch(/\bhas-issues\b/);
    expect(await page.locator('[data-field="on.0.left"] .field-issue').textContent()).toBe('"id" is not a column of lots (its columns: batch_id, viability)');
    await shot('70-problems-join-keys');

    // Item 4: Preview of the invalid aggregate shows the validation message, never `internal error: [`.
    await select('mean_viability');
    await page.getByTestId('preview').click();
    await expect
      .poll(() => page.getByTestId('preview-error').textContent(), { timeout: 15_000 })
      .toBe('Cannot preview: aggregate "mean_viability", Aggregates #1 › Column: expected the column avg reads');

    // A failed preview is a problem too: the status bar never says "No problems" while one fails.
    await select('lot_summary');
    await page.getByTestId('preview').click();
    await expect.poll(() => page.getByTestId('preview-error').textContent(), { timeout: 15_000 }).toMatch(/^node "lot_summary", line 1: Binder Error: .*no_such_column/);
    await expect.poll(() => count().textContent()).toBe('4 problems');
    await openList();
    expect(await list().locator('li[data-source="preview"]').allTextContents()).toEqual([expect.stringMatching(/^lot_summary node "lot_summary", line 1: Binder Error: .*no_such_column/)]);
    expect(await list().locator('li[data-source="preview"] .issue-field').getAttribute('data-label')).toBe('SQL · line 1');
    // Picking it from another node: the SQL node is selected, the caret in its SQL editor.
    await select('lots');
    await expect.poll(() => page.getByTestId('preview-node').textContent(), { timeout: 15_000 }).toBe('lots');
    await pick('no_such_column');
    await expect.poll(inspectorNode).toBe('s');
    await expect.poll(focusedField, { timeout: 15_000 }).toBe('sql');
    // The caret in Monaco's own text area (not a button of its toolbar): typing edits the SQL.
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.matches('[data-testid="sql-editor"] .monaco-editor textarea'))).toBe(true);

    // Fixed, one by one: the count follows, down to "No problems".
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('select batch_id, viability from lots');
    await expect.poll(() => count().textContent(), { timeout: 15_000 }).toBe('3 problems');
    await pick('is not a column of lots');
    await expect.poll(focusedField).toBe('on.0.left');
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('batch_id');
    await pick('is not a column of results');
    await expect.poll(focusedField).toBe('on.0.right');
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('batch_id');
    await expect.poll(() => count().textContent(), { timeout: 15_000 }).toBe('1 problem');
    await pick('expected the column avg reads');
    await expect.poll(focusedField).toBe('aggregates.0.column');
    await page.keyboard.insertText('viability');
    await expect.poll(() => count().textContent(), { timeout: 15_000 }).toBe('No problems');
    await saveAndWait();
  }, 240_000);

  it('links a failed check of a run to its node and rule: the problem selected, its node highlighted', async () => {
    // Viability above 50 % is a "slipped decimal point" for this run: the range check fails.
    const file = join(workspace, TEMPLATE);
    const doc = parsePipeline(await readFile(file, 'utf8')).pipeline;
    const check = doc.nodes.find((n) => n.name === 'assays_checked')!;
    const rules = check.config.rules as Record<string, unknown>[];
    const at = rules.findIndex((r) => r.name === 'percentages_within_0_100');
    rules[at] = { ...rules[at], max: 50 };
    await writeFile(file, serializePipeline(doc));
    // Opened from the sidebar, the pipeline is read from disk again.
    await openPipeline(TEMPLATE);
    await expect.poll(() => page.evaluate(() => document.querySelectorAll('[data-testid="node-card"]').length)).toBe(doc.nodes.length);
    await expect.poll(() => count().textContent(), { timeout: 30_000 }).toBe('No problems');

    await page.getByTestId('run').click();
    await page.getByTestId('run-summary').filter({ hasText: 'Run failed' }).waitFor({ timeout: 90_000 });
    // The check's failed rule is a problem of the check node, at its rule, in words.
    await expect.poll(() => count().textContent(), { timeout: 15_000 }).not.toBe('No problems');
    await openList();
    const failed = list().locator('li[data-source="check"]');
    await expect.poll(() => failed.allTextContents(), { timeout: 15_000 }).toEqual([expect.stringMatching(/^assays_checked rule "percentages_within_0_100" failed: /)]);
    expect(await failed.locator('.issue-field').getAttribute('data-label')).toBe(`Rules #${at + 1}`);
    expect(await failed.getAttribute('data-node-id')).toBe(check.id);
    await pick('percentages_within_0_100');
    await expect.poll(inspectorNode).toBe(check.id);
    await expect.poll(focusedField).toMatch(new RegExp(`^rules\\.${at}(\\.|$)`));
    await expect.poll(() => card('assays_checked').getAttribute('class')).toMatch(/\bselected\b/);
    // The picture for the docs: the check's results below, the list open again over the run,
    // the node highlighted on the canvas, its rule in the inspector.
    await expect.poll(() => page.getByTestId('tab-checks').getAttribute('aria-selected')).toBe('true');
    await page.locator('[data-testid="check-rule"][data-rule="percentages_within_0_100"]').waitFor();
    await page.waitForTimeout(500); // the reveal's animation
    await openList();
    await list().locator('li[data-source="check"] button').hover();
    const picture = join(shots, '71-failed-check-linked.png');
    await page.screenshot({ path: picture });
    // Renewed only when asked for (WEIR_UPDATE_DOCS_SCREENSHOT=1) or missing, so that a test run leaves git clean.
    const docs = join(repo, 'docs', 'screenshots', 'failed-check-linked.png');
    if (process.env.WEIR_UPDATE_DOCS_SCREENSHOT === '1' || !existsSync(docs)) {
      await mkdir(join(repo, 'docs', 'screenshots'), { recursive: true });
      await copyFile(picture, docs);
    }
  }, 240_000);
});
