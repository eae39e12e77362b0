import { cpSync, existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/canonical';
import { parsePipeline } from '../../shared/pipeline/parse';
import type { Pipeline } from '../../shared/pipeline/schema';
import type { RunRecord } from '../../shared/run/record';
import { cellText } from '../../src-renderer/preview/grid/cell-format';
import { previewNode, profileNode } from '../support/engine';
import { TEMPLATE_PIPELINE, copyTemplate } from '../support/templates';
import { CHROMIUM } from './support/browser';
import { designerUi, shots, startDesigner, type Designer } from './support/designer';
import { repo } from './support/renderer-build';

/**
 * The data side of the designer end to end, in Debian's Chromium against `weir serve`:
 * preview (compared with the engine's own answer), profile, running the CGT template to
 * the end, cancelling a long run, check results, run history, parameters and connections.
 */
let designer: Designer;
let workspace: string;
let page: Page;

const TEMPLATE = TEMPLATE_PIPELINE['cgt-batch-release'];
const LAB = 'pipelines/lab.weir.json';
const SLOW = 'pipelines/slow.weir.json';

const { card, cards, shot, select } = designerUi(() => page);
const statuses = () => page.locator('[data-testid="node-card"] .node-status').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.status ?? ''));

const pipeline = (name: string, nodes: Pipeline['nodes'], params: Pipeline['params'] = {}): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name,
  params,
  nodes,
  layout: Object.fromEntries(nodes.map((n, i) => [n.id, { x: 40 + (i % 3) * 300, y: 40 + Math.floor(i / 3) * 160 }])),
});

const lab = pipeline('lab', [
  {
    id: 'values',
    name: 'values',
    kind: 'seed',
    inputs: [],
    config: {
      columns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'label', type: 'VARCHAR' },
        { name: 'note', type: 'VARCHAR' },
        { name: 'score', type: 'DOUBLE' },
      ],
      rows: [
        [1, 'alpha', '', 9.5],
        [2, null, 'x', null],
        [3, 'gamma', null, 7.25],
        [4, 'alpha', '', 1],
      ],
    },
  },
  {
    id: 'big',
    name: 'big',
    kind: 'sql',
    inputs: ['values'],
    config: {
      materialize: 'auto',
      sql: ['select i as id, i * 2 as doubled,', "  case when i % 10 = 0 then null else 'v' || i end as label", 'from range(5000) t(i)', "where i < getvariable('n')", 'order by i'],
    },
  },
  { id: 'lake_batches', name: 'lake_batches', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'raw/', glob: 'batches.csv', format: 'csv' } },
  {
    id: 'values_checked',
    name: 'values_checked',
    kind: 'check',
    inputs: ['values'],
    config: {
      rules: [
        { type: 'unique', columns: ['id'] },
        { type: 'not_null', column: 'label', severity: 'warn', description: 'Every value has a label.' },
      ],
    },
  },
], { n: { type: 'integer', default: 5000, description: 'How many rows big makes' } });

const slow = pipeline('slow', [
  { id: 'start', name: 'start', kind: 'seed', inputs: [], config: { columns: [{ name: 'n', type: 'BIGINT' }], rows: [[1]] } },
  // Minutes of hashing: only a cancel ends it within the test.
  { id: 'slow', name: 'slow', kind: 'sql', inputs: ['start'], config: { materialize: 'table', sql: ['select sum(hash(i)) as h', 'from range(5000000000) t(i)'] } },
  { id: 'after', name: 'after', kind: 'sql', inputs: ['slow'], config: { materialize: 'table', sql: ['select h from slow'] } },
]);

async function openPipeline(path: string): Promise<void> {
  await page.locator(`[data-testid="pipeline-item"][data-path="${path}"]`).click();
  await expect.poll(() => page.locator('.pipeline-item.active').getAttribute('data-path')).toBe(path);
  await expect.poll(() => cards().count()).toBeGreaterThan(0);
}

async function showTab(tab: string): Promise<void> {
  const t = page.getByTestId(`tab-${tab}`);
  if ((await t.getAttribute('aria-selected')) !== 'true') await t.click();
  await expect.poll(() => t.getAttribute('aria-selected')).toBe('true');
}

/** The text of each rendered row of the grid, by row index. */
async function gridRows(grid: Locator): Promise<Map<number, string[]>> {
  const rows = await grid.locator('.grid-row').evaluateAll((els) =>
    els.map((r) => [Number((r as HTMLElement).dataset.row), [...r.querySelectorAll('[role="gridcell"]')].map((c) => c.textContent ?? '')] as const),
  );
  return new Map(rows.map(([i, cells]) => [i, [...cells]]));
}

async function waitForPreviewOf(name: string): Promise<Locator> {
  await expect.poll(() => page.getByTestId('preview-node').textContent(), { timeout: 30_000 }).toBe(name);
  const grid = page.getByTestId('preview-grid');
  await grid.waitFor({ timeout: 30_000 });
  await expect.poll(() => page.locator('.preview.is-loading').count(), { timeout: 30_000 }).toBe(0);
  return grid;
}

async function readRecord(runId: string): Promise<RunRecord> {
  return JSON.parse(await readFile(join(workspace, '.weir', 'runs', `${runId}.json`), 'utf8')) as RunRecord;
}

/**
 * docs/screenshot-template-run.png, for the README (WEIR_UPDATE_DOCS_SCREENSHOT=1 renews it): the template after the run above, every
 * card done with its rows, the preview open on batch_release. A browser of its own, at a
 * larger size and pixel density than the test's, so that the picture reads when enlarged.
 */
async function docsPicture(runId: string): Promise<void> {
  const b = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const ctx = await b.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1.5, colorScheme: 'light' });
    // A taller panel: more of batch_release's rows; the canvas is bound by its width anyway.
    await ctx.addInitScript(() => localStorage.setItem('weir.panelHeight', '370'));
    const p = await ctx.newPage();
    // A browser of its own has no session: it signs in with a link of its own (each works once).
    await p.goto(await designer.served.newUrl());
    await p.locator('.pipeline-item.active[data-path="pipelines/batch_release.weir.json"]').waitFor();
    await p.getByTestId('tab-history').click();
    await p.locator(`[data-testid="history-item"][data-run-id="${runId}"]`).click();
    await p.getByTestId('history-show-on-canvas').click();
    await expect.poll(() => p.locator('[data-testid="node-card"] .node-status[data-status="done"]').count()).toBe(17);
    await p.locator('[data-testid="node-card"][data-node-name="batch_release"] .node-name').click();
    await p.getByTestId('tab-preview').click();
    await expect.poll(() => p.getByTestId('preview-node').textContent(), { timeout: 30_000 }).toBe('batch_release');
    await p.getByTestId('preview-grid').waitFor();
    await p.getByTestId('zoom-fit').click();
    await p.waitForTimeout(500); // the zoom animation
    await p.mouse.move(0, 0);
    await p.screenshot({ path: join(shots, '46-docs-template-run.png') });
    // The committed picture changes only when asked for (its timings differ at every run).
    const docs = join(repo, 'docs', 'screenshot-template-run.png');
    if (process.env.WEIR_UPDATE_DOCS_SCREENSHOT === '1' || !existsSync(docs)) cpSync(join(shots, '46-docs-template-run.png'), docs);
  } finally {
    await b.close();
  }
}

beforeAll(async () => {
  const fill = async (dir: string) => {
    copyTemplate('cgt-batch-release', { to: dir, keepCurated: true });
    await writeFile(join(dir, LAB), serializePipeline(lab));
    await writeFile(join(dir, SLOW), serializePipeline(slow));
  };
  designer = await startDesigner({ prefix: 'weir-e2e-data-', workspace: { name: 'cgt-lab', fill } });
  workspace = designer.workspace!;
  page = designer.page;
}, 180_000);

afterAll(() => designer?.stop());

describe('preview and profile', () => {
  it("shows the node's first rows as the engine computes them, virtualized, with types, NULLs apart from empty strings", async () => {
    await openPipeline(LAB);
    await select('big');
    await page.keyboard.press('Control+p');
    const grid = await waitForPreviewOf('big');

    const engine = await previewNode({ pipeline: lab, file: join(workspace, LAB), nodeId: 'big', limit: 1000 });
    expect(engine.rows).toHaveLength(1000);
    expect(await grid.getAttribute('data-rows')).toBe('1000');
    const headers = await grid.getByTestId('grid-header').evaluateAll((els) => els.map((e) => [e.querySelector('.col-name')?.textContent, e.querySelector('.col-type')?.textContent]));
    expect(headers).toEqual(engine.columns.map((c) => [c.name, c.type]));
    expect(await page.getByTestId('preview-count').textContent()).toBe('first 1,000 rows');
    expect(await page.getByTestId('preview-time').textContent()).toMatch(/^\d+ ms$|^\d+\.\d+ s$/);

    // Only the rows in view are in the page, and they are the engine's rows.
    let shown = await gridRows(grid);
    expect(shown.size).toBeGreaterThan(5);
    expect(shown.size).toBeLessThan(60);
    for (const [i, cells] of shown) expect(cells, `row ${i}`).toEqual(engine.rows[i]!.map((v, j) => cellText(v, engine.columns[j]!.type)));
    expect(shown.get(0)).toEqual(['0', '0', 'NULL']);

    // Scrolled to the end: the last rows, still few elements.
    await grid.locator('.grid-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => Math.max(...(await gridRows(grid)).keys())).toBe(999);
    shown = await gridRows(grid);
    expect(shown.size).toBeLessThan(60);
    for (const [i, cells] of shown) expect(cells, `row ${i}`).toEqual(engine.rows[i]!.map((v, j) => cellText(v, engine.columns[j]!.type)));
    await shot('40-preview-virtualized');

    // Count every row on demand.
    await page.getByTestId('count-rows').click();
    await expect.poll(() => page.getByTestId('preview-count').textContent(), { timeout: 30_000 }).toBe('5,000 rows');

    // Selecting another node previews it; NULL and '' read differently; numbers right-aligned.
    await select('values');
    const values = await waitForPreviewOf('values');
    await expect.poll(async () => (await gridRows(values)).size).toBe(4);
    const rows = await gridRows(values);
    expect(rows.get(0)).toEqual(['1', 'alpha', "''", '9.5']);
    expect(rows.get(1)).toEqual(['2', 'NULL', 'x', 'NULL']);
    const row0 = values.locator('.grid-row[data-row="0"] [role="gridcell"]');
    expect(await row0.nth(2).locator('.v-empty').count()).toBe(1);
    const row1 = values.locator('.grid-row[data-row="1"] [role="gridcell"]');
    expect(await row1.nth(1).locator('.v-null').count()).toBe(1);
    expect(await row1.nth(1).evaluate((el) => getComputedStyle(el.querySelector('.v-null')!).fontStyle)).toBe('italic');
    expect(await row0.nth(0).evaluate((el) => getComputedStyle(el).textAlign)).toBe('right');
    expect(await row0.nth(1).evaluate((el) => getComputedStyle(el).textAlign)).not.toBe('right');
    expect(await page.getByTestId('preview-count').textContent()).toBe('4 rows');
    await shot('41-preview-nulls');
  });

  it('computes with the parameter values of the Parameters panel, refreshing the preview', async () => {
    await select('big');
    await waitForPreviewOf('big');
    await page.getByTestId('count-rows').click();
    await expect.poll(() => page.getByTestId('preview-count').textContent(), { timeout: 30_000 }).toBe('5,000 rows');
    await showTab('params');
    await page.getByTestId('param-n').fill('25');
    await showTab('preview');
    await expect.poll(() => page.getByTestId('preview-count').textContent(), { timeout: 30_000 }).toBe('25 rows');
    await showTab('params');
    await page.getByText('use default').click();
    await showTab('preview');
    await expect.poll(() => page.getByTestId('preview-count').textContent(), { timeout: 30_000 }).toBe('first 1,000 rows');
  });

  it("profiles every column: nulls, distinct, min, max and a histogram, as the engine's profile says", async () => {
    await select('values');
    await waitForPreviewOf('values');
    await page.getByTestId('preview-profile-tab').click();
    const profile = page.getByTestId('profile');
    await profile.waitFor({ timeout: 30_000 });
    const engine = await profileNode({ pipeline: lab, file: join(workspace, LAB), nodeId: 'values' });
    for (const c of engine.columns) {
      const col = profile.locator(`[data-testid="profile-column"][data-column="${c.name}"]`);
      expect(await col.getByTestId('profile-nulls').getAttribute('data-value'), c.name).toBe(String(c.nulls));
      expect(await col.getByTestId('profile-distinct').getAttribute('data-value'), c.name).toBe(String(c.distinct));
      expect(await col.locator('[data-testid="histogram"] rect').count(), c.name).toBe(c.histogram.length);
    }
    const label = profile.locator('[data-testid="profile-column"][data-column="label"]');
    expect(await label.getByTestId('profile-nulls').getAttribute('data-value')).toBe('1');
    expect(await label.getByTestId('profile-distinct').getAttribute('data-value')).toBe('2');
    await shot('42-profile');
    await page.getByTestId('preview-rows-tab').click();
  });
});

describe('running from the app', () => {
  it('runs the CGT template: every node reaches done with its rows, checks pass, the log and history show the run', async () => {
    await openPipeline(TEMPLATE);
    const n = await cards().count();
    expect(n).toBe(17);
    await page.getByTestId('run').click();
    await page.getByTestId('run-summary').filter({ hasText: 'Run succeeded' }).waitFor({ timeout: 60_000 });
    await expect.poll(statuses).toEqual(Array(n).fill('done'));
    const records = (await readdir(join(workspace, '.weir', 'runs'))).filter((f) => f.endsWith('.json'));
    expect(records).toHaveLength(1);
    const runId = records[0]!.replace(/\.json$/, '');
    // Rows on the cards are the record's.
    const rec = await readRecord(runId);
    expect(rec.status).toBe('succeeded');
    for (const node of rec.nodes) {
      expect(node.rows, node.name).not.toBeNull();
      const text = await card(node.name).locator('.node-status-text').textContent();
      expect(text, node.name).toContain(`${node.rows!.toLocaleString('en-US')} row`);
    }
    // Check nodes carry a badge from the record's check results. The template opens zoomed out,
    // where a compact card leaves the badge out: zoom in until the cards are full, and back
    // (the same steps out), so the pictures below show the view as opened.
    const compactCards = page.locator('.node-card.compact');
    let zoomedIn = 0;
    for (; zoomedIn < 8 && (await compactCards.count()); zoomedIn++) {
      await page.locator('.react-flow__controls-zoomin').click();
      await page.waitForTimeout(50); // the compact flag follows the viewport a frame later
    }
    await expect.poll(() => compactCards.count()).toBe(0);
    await expect.poll(() => card('release_checked').getByTestId('check-badge').textContent()).toBe('4/4 passed');
    expect(await card('assays_checked').getByTestId('check-badge').getAttribute('data-failed')).toBe('0');
    for (let i = 0; i < zoomedIn; i++) await page.locator('.react-flow__controls-zoomout').click();

    // The log: times, levels, node names.
    await showTab('log');
    expect(await page.getByTestId('log-line').first().textContent()).toContain(`run ${runId} started: 17 nodes`);
    for (const node of rec.nodes) {
      expect(await page.locator(`[data-testid="log-line"][data-node="${node.name}"]`).filter({ hasText: 'done:' }).count(), node.name).toBe(1);
    }
    expect(await page.locator('[data-testid="log-line"][data-level="error"]').count()).toBe(0);
    await shot('43-template-run-log');

    // Check results when the check node is selected.
    await select('release_checked');
    await showTab('checks');
    const rules = page.getByTestId('check-rule');
    await expect.poll(() => rules.count()).toBe(4);
    expect(await rules.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.passed))).toEqual(['true', 'true', 'true', 'true']);
    await shot('44-check-results');

    // History lists the run; selecting it shows its per-node table.
    await showTab('history');
    const item = page.locator(`[data-testid="history-item"][data-run-id="${runId}"]`);
    await item.waitFor({ timeout: 10_000 });
    expect(await item.getAttribute('data-status')).toBe('succeeded');
    await item.click();
    await page.locator(`[data-testid="history-record"][data-run-id="${runId}"]`).waitFor();
    const nodeRows = page.getByTestId('history-node');
    expect(await nodeRows.count()).toBe(17);
    expect(await nodeRows.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.status))).toEqual(Array(17).fill('done'));
    await shot('45-history');

    // The picture for the README: the run done, the preview open on batch_release.
    await select('batch_release');
    await showTab('preview');
    await waitForPreviewOf('batch_release');
    const engine = await previewNode({
      pipeline: parsePipeline(await readFile(join(workspace, TEMPLATE), 'utf8'), TEMPLATE).pipeline,
      file: join(workspace, TEMPLATE),
      nodeId: 'batch_release',
      limit: 1000,
    });
    // batch_release has no ORDER BY: compare the rows shown with the engine's as a set.
    const shown = await gridRows(page.getByTestId('preview-grid'));
    const engineRows = new Set(engine.rows.map((r) => JSON.stringify(r.map((v, j) => cellText(v, engine.columns[j]!.type)))));
    expect(await page.getByTestId('preview-count').textContent()).toBe(`${engine.rows.length} rows`);
    expect(shown.size).toBeGreaterThan(3);
    for (const [i, cells] of shown) expect(engineRows.has(JSON.stringify(cells)), `row ${i}: ${cells.join(' | ')}`).toBe(true);
    await shot('46-template-run-preview');
    await docsPicture(runId);
  });

  it('cancels a long run: the running node stops and nothing after it runs', async () => {
    await openPipeline(SLOW);
    await page.getByTestId('run').click();
    await expect.poll(() => card('slow').locator('.node-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('running');
    await page.getByTestId('cancel-run').click();
    await page.getByTestId('run-summary').filter({ hasText: 'Run cancelled' }).waitFor({ timeout: 30_000 });
    await expect.poll(statuses).toEqual(['done', 'cancelled', 'cancelled']);
    expect(await page.getByTestId('run').isEnabled()).toBe(true);
    // A cancel is no error: the log says what stopped, in warnings.
    await expect.poll(() => page.locator('[data-testid="log-line"][data-node="slow"]').last().textContent()).toContain('cancelled while running');
    expect(await page.locator('[data-testid="log-line"][data-level="error"]').count()).toBe(0);
    await shot('47-run-cancelled');
    await showTab('history');
    await expect.poll(() => page.locator('[data-testid="history-item"][data-status="cancelled"]').count()).toBe(1);
  });

  it('runs with a parameter value typed for this run, leaving the file as it is', async () => {
    await openPipeline(TEMPLATE);
    const before = await readFile(join(workspace, TEMPLATE), 'utf8');
    await showTab('params');
    await page.getByTestId('param-min_viability_pct').fill('abc');
    await page.getByText('expected a number').waitFor();
    await page.getByTestId('param-min_viability_pct').fill('95');
    await shot('48-parameters');
    await page.getByTestId('run').click();
    await page.getByTestId('run-summary').filter({ hasText: 'Run succeeded' }).waitFor({ timeout: 60_000 });
    await showTab('history');
    const first = page.getByTestId('history-item').first();
    await first.click();
    const runId = await first.getAttribute('data-run-id');
    expect((await readRecord(runId!)).params).toEqual({ min_viability_pct: 95 });
    expect(await readFile(join(workspace, TEMPLATE), 'utf8')).toBe(before);
    await showTab('params');
    await page.getByText('use default').click();
  });

  it('shows a warning check on the card and its failing rows in the checks panel', async () => {
    await openPipeline(LAB);
    await page.getByTestId('run').click();
    await page.getByTestId('run-summary').filter({ hasText: 'Run succeeded' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => card('values_checked').getByTestId('check-badge').textContent()).toBe('1 warned');
    await select('values_checked');
    await showTab('checks');
    const rule = page.locator('[data-testid="check-rule"][data-passed="false"]');
    await rule.waitFor();
    expect(await rule.getByTestId('check-failing').textContent()).toBe('1 failing row');
    expect(await rule.getByTestId('check-sample').locator('tbody tr').count()).toBe(1);
    await shot('49-check-warning');
  });
});

describe('environments and connections', () => {
  it('lists environments, tests a connection, creates one whose secret goes to the keychain, and switches environment in one click', async () => {
    await showTab('connections');
    const panel = page.getByTestId('connections-panel');
    await panel.waitFor();
    expect(await page.getByTestId('env-item').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.env))).toEqual(['dev', 'prod']);
    const lake = panel.locator('[data-testid="connection-row"][data-name="lake"]');
    await lake.getByTestId('conn-test').click();
    await expect.poll(() => lake.getByTestId('test-result').getAttribute('data-ok')).toBe('true');
    expect(await lake.getByTestId('test-result').textContent()).toContain(`folder ${join(workspace, 'data')} exists`);

    // prod: the S3 lake needs variables nobody set here; the test says which.
    await page.locator('[data-testid="env-item"][data-env="prod"] .env-pick').click();
    const prodLake = panel.locator('[data-testid="connection-row"][data-name="lake"]');
    await prodLake.getByTestId('conn-test').click();
    await expect.poll(() => prodLake.getByTestId('test-result').getAttribute('data-ok')).toBe('false');
    expect(await prodLake.getByTestId('test-result').textContent()).toMatch(/connection "lake": environment variable WEIR_S3_\w+ is not set/);

    // A new PostgreSQL connection in prod: the password goes to the keychain, the file gets a reference.
    await page.getByTestId('conn-new').click();
    await page.getByTestId('conn-name').fill('mart');
    await page.getByTestId('conn-kind').selectOption('postgres');
    await page.locator('#conn-host').fill('db.plant.example');
    await page.locator('#conn-database').fill('qc_marts');
    await page.getByTestId('conn-password').fill('s3cr3t-Pa55');
    await shot('50-connection-form');
    await page.getByTestId('conn-save').click();
    await panel.locator('[data-testid="connection-row"][data-name="mart"]').waitFor();
    const text = await readFile(join(workspace, 'weir.workspace.json'), 'utf8');
    expect(text).toContain('"mart": { "kind": "postgres", "host": "db.plant.example", "database": "qc_marts", "password": "${env:MART_PASSWORD}" }');
    expect(text).not.toContain('s3cr3t-Pa55');
    expect(await panel.locator('[data-testid="connection-row"][data-name="mart"] .secret-chip.set').count()).toBe(1);
    await shot('51-connections');

    // One click: runs and previews now use prod, whose lake is the S3 one.
    await openPipeline(LAB);
    await select('lake_batches');
    await showTab('preview');
    await waitForPreviewOf('lake_batches');
    await page.getByTestId('env-prod').click();
    await expect.poll(() => page.getByTestId('env-switch').getAttribute('data-active')).toBe('prod');
    await expect.poll(() => page.getByTestId('preview-error').textContent(), { timeout: 30_000 }).toMatch(/environment variable WEIR_S3_\w+ is not set/);
    // The template's prod is protected: the run asks first (document-safety.test.ts tests the question).
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('run').click();
    await expect.poll(() => page.getByTestId('run-summary').textContent(), { timeout: 30_000 }).toMatch(/Run failed/);
    expect(await card('lake_batches').getByTestId('node-message').textContent()).toMatch(/environment variable WEIR_S3_\w+ is not set/);
    await shot('52-prod-environment-run');
    await page.getByTestId('env-dev').click();
    await expect.poll(() => page.getByTestId('env-switch').getAttribute('data-active')).toBe('dev');
    await showTab('preview');
    await waitForPreviewOf('lake_batches');
    await showTab('connections');
    expect(await page.locator('[data-testid="env-item"][data-env="dev"] [data-testid="env-active"]').count()).toBe(1);
  });
});

describe('reading a finished run', () => {
  it('keeps names and row counts legible zoomed far out, in both themes', async () => {
    await openPipeline(TEMPLATE);
    await showTab('history');
    await page.locator('[data-testid="history-item"][data-status="succeeded"]').last().click();
    await page.getByTestId('history-show-on-canvas').click();
    await expect.poll(statuses).toEqual(Array(17).fill('done'));
    for (let i = 0; i < 4; i++) await page.locator('.react-flow__controls-zoomout').click();
    await expect.poll(() => page.locator('.node-card.compact').count()).toBe(17);
    // Zoomed out, a finished card still says how many rows it made.
    const text = card('batch_release').locator('.node-status-text');
    expect(await text.evaluate((el) => getComputedStyle(el).display)).not.toBe('none');
    expect(await text.textContent()).toMatch(/^40 rows/);
    // Names and outcomes are shortened to the card (by measured text, not by a clip): none
    // runs past its box or out of its card.
    const overflowing = await page.locator('.node-card.compact').evaluateAll((els) =>
      els.flatMap((c) => {
        const name = c.querySelector('.node-name') as HTMLElement;
        const status = c.querySelector('.node-status-text');
        const right = c.getBoundingClientRect().right;
        const out: string[] = [];
        if (name.scrollWidth > name.clientWidth + 1) out.push(`${name.textContent}: name ${name.scrollWidth} > ${name.clientWidth}`);
        if (status && status.getBoundingClientRect().right > right) out.push(`${name.textContent}: status past the card`);
        return out;
      }),
    );
    expect(overflowing).toEqual([]);
    await shot('53-compact-after-run');
    await page.getByTestId('zoom-fit').click();
    await select('batch_release');
    await showTab('preview');
    await waitForPreviewOf('batch_release');
    await page.getByTestId('theme').click();
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await page.waitForTimeout(300); // the zoom animation, for the picture only
    await shot('54-dark-preview');
    await page.getByTestId('preview-profile-tab').click();
    await page.getByTestId('profile').waitFor({ timeout: 30_000 });
    await shot('55-dark-profile');
    await page.getByTestId('preview-rows-tab').click();
    await page.getByTestId('theme').click();
    await page.locator('html[data-theme="light"]').waitFor({ state: 'attached' });
  });
});
