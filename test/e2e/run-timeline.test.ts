import { cpSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/canonical';
import type { Pipeline } from '../../shared/pipeline/schema';
import type { RunRecord } from '../../shared/run/record';
import { TEMPLATE_PIPELINE, copyTemplate } from '../support/templates';
import { designerUi, shots, startDesigner, type Designer } from './support/designer';
import { repo } from './support/renderer-build';

/**
 * The run timeline and run from here (issue #20 items 2 and 3), in Chromium against `weir
 * serve`: the template's run as a Gantt in the Run log tab (a bar per node, the critical path,
 * a click selects the node), and a run from a mid node through the card's context menu (only
 * that node, what follows it and what it reads run; the other branch does not; only the
 * outputs downstream publish).
 */
let designer: Designer;
let workspace: string;
let page: Page;

const TEMPLATE = TEMPLATE_PIPELINE['cgt-batch-release'];
const BRANCHES = 'pipelines/branches.weir.json';
const { card, cards, shot, select } = designerUi(() => page);

const sql = (id: string, inputs: string[], text: string): Pipeline['nodes'][number] => ({ id, name: id, kind: 'sql', inputs, config: { sql: [text] } });
const sink = (id: string, input: string): Pipeline['nodes'][number] => ({ id, name: id, kind: 'file_sink', inputs: [input], config: { path: `out/${id}.csv`, format: 'csv' } });
const branchNodes: Pipeline['nodes'] = [
  { id: 'lots', name: 'lots', kind: 'seed', inputs: [], config: { columns: [{ name: 'lot', type: 'VARCHAR' }, { name: 'viability', type: 'DOUBLE' }], rows: [['B1', 91.5], ['B2', 62], ['B3', 88]] } },
  sql('passing', ['lots'], 'select * from lots where viability >= 70'),
  sql('summary', ['passing'], 'select count(*) as n from passing'),
  sink('out_summary', 'summary'),
  sql('flagged', ['passing'], "select lot, 'ok' as flag from passing"),
  sink('out_flagged', 'flagged'),
  sql('audit', ['lots'], 'select lot from lots'),
  sink('out_audit', 'audit'),
];
// Three columns: the seed; the mid node and the other branch; what follows.
const at: Record<string, [number, number]> = { lots: [0, 1], passing: [1, 0], audit: [1, 2], summary: [2, 0], flagged: [2, 1], out_audit: [2, 2], out_summary: [3, 0], out_flagged: [3, 1] };
const branches: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'branches',
  params: {},
  nodes: branchNodes,
  layout: Object.fromEntries(branchNodes.map((n) => [n.id, { x: 40 + at[n.id]![0] * 300, y: 40 + at[n.id]![1] * 160 }])),
};

beforeAll(async () => {
  const fill = async (dir: string) => {
    copyTemplate('cgt-batch-release', { to: dir });
    await writeFile(join(dir, BRANCHES), serializePipeline(branches));
  };
  designer = await startDesigner({ prefix: 'weir-e2e-timeline-', workspace: { name: 'cgt-timeline', fill } });
  workspace = designer.workspace!;
  page = designer.page;
}, 180_000);

afterAll(() => designer?.stop());

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

async function records(): Promise<RunRecord[]> {
  const dir = join(workspace, '.weir', 'runs');
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as RunRecord));
}

/** Waits for a new run record of `file` (the run finished) and for the designer to show it finished. */
async function nextRecord(before: number, file: string): Promise<RunRecord> {
  await expect.poll(async () => (await records()).filter((r) => r.pipeline.file === file).length, { timeout: 60_000 }).toBe(before + 1);
  const rec = (await records()).filter((r) => r.pipeline.file === file).at(-1)!;
  await page.getByTestId('run-summary').filter({ hasText: /Run (succeeded|failed)/ }).waitFor({ timeout: 30_000 });
  return rec;
}

/** axe-core's serious and critical violations inside `selector` (as canvas-keyboard.test.ts checks the whole app). */
async function axeViolations(selector: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async (sel) => {
    const w = window as unknown as { axe: { run(ctx: object, opts: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } };
    const r = await w.axe.run({ include: [[sel]] }, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  }, selector);
}

const bars = () => page.getByTestId('timeline-bar');
const barAttrs = () =>
  bars().evaluateAll((els) => els.map((e) => ({ node: (e as HTMLElement).dataset.node!, cached: (e as HTMLElement).dataset.cached === 'true', critical: (e as HTMLElement).dataset.critical === 'true', status: (e as HTMLElement).dataset.status! })));

describe('the run timeline', () => {
  it("after the template's run: a bar for every node, the critical path marked, a click on a bar selects its node", async () => {
    await openPipeline(TEMPLATE);
    await page.getByTestId('run').click();
    const rec = await nextRecord(0, TEMPLATE);
    expect(rec.status).toBe('succeeded');
    await showTab('log');
    await shot('run-timeline-log');
    await page.getByTestId('run-view-timeline').click();
    await page.getByTestId('run-timeline').waitFor();
    // Every node of the run has its bar, as its record says (status, cached), and none is left without one.
    await expect.poll(() => bars().count()).toBe(17);
    const shown = await barAttrs();
    expect(shown.map((b) => b.node).sort()).toEqual(rec.nodes.map((n) => n.name).sort());
    for (const n of rec.nodes) expect(shown.find((b) => b.node === n.name), n.name).toMatchObject({ status: n.status, cached: n.cached });
    expect(await page.getByTestId('timeline-idle').count()).toBe(0);
    expect(await axeViolations('[data-testid="run-timeline"]')).toEqual([]);
    // The bars are in order of start, as the record's node times have them.
    const starts = rec.nodes.map((n) => [n.name, Date.parse(n.startedAt!)] as const);
    const order = shown.map((b) => starts.find(([name]) => name === b.node)![1]);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // The critical path: a chain of at least a source and what reads it, ending in one of the last nodes.
    const critical = shown.filter((b) => b.critical).map((b) => b.node);
    expect(critical.length).toBeGreaterThanOrEqual(3);
    expect(critical[0]).toMatch(/^raw_/);
    expect(await page.getByTestId('timeline-critical').textContent()).toMatch(new RegExp(`^${critical.length} nodes, `));
    // Lanes: as many as nodes ran at once (the designer runs two at a time), each bar in one.
    await page.getByTestId('timeline-lanes').click();
    await expect.poll(() => page.getByTestId('timeline-row').count()).toBeLessThanOrEqual(2);
    expect(await bars().count()).toBe(17);
    await shot('run-timeline-lanes');
    await page.getByRole('tab', { name: 'One row per node' }).click();
    // A click on a bar selects its node: the inspector shows it.
    const want = await card('assay_results').getAttribute('data-node-id');
    await page.locator('[data-testid="timeline-bar"][data-node="assay_results"]').click();
    await expect.poll(() => page.getByTestId('inspector').getAttribute('data-node-id')).toBe(want);
    expect(await page.locator('[data-testid="timeline-bar"][data-node="assay_results"]').getAttribute('class')).toContain('selected');
    // A taller panel for the picture (keys on its separator, as a user resizes it): every row in view.
    await page.getByRole('separator', { name: 'Resize the bottom panel' }).focus();
    for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowUp');
    await page.mouse.move(0, 0);
    await shot('run-timeline-template');
    // The picture in docs/designer.md changes only when asked for (its timings differ at every run).
    const docs = join(repo, 'docs', 'screenshot-run-timeline.png');
    if (process.env.WEIR_UPDATE_DOCS_SCREENSHOT === '1' || !existsSync(docs)) cpSync(join(shots, 'run-timeline-template.png'), docs);
  });

  it('a past run from History shows its timeline from its record', async () => {
    const rec = (await records()).filter((r) => r.pipeline.file === TEMPLATE).at(-1)!;
    await showTab('history');
    await page.locator(`[data-testid="history-item"][data-run-id="${rec.runId}"]`).click();
    await page.getByTestId('history-show-on-canvas').click();
    await showTab('log');
    await page.getByTestId('run-timeline').waitFor();
    await expect.poll(() => bars().count()).toBe(17);
    expect((await barAttrs()).map((b) => b.node).sort()).toEqual(rec.nodes.map((n) => n.name).sort());
  });
});

describe('run from here, to here, this node', () => {
  it('the card menu and the inspector say what each publishes; run from a mid node runs it and what follows, not the other branch', async () => {
    await openPipeline(BRANCHES);
    await page.getByTestId('run').click();
    const full = await nextRecord(0, BRANCHES);
    expect(full.nodes).toHaveLength(8);
    expect(full.publishing?.published.sort()).toEqual(['out_audit', 'out_flagged', 'out_summary']);
    // The outputs removed: an output still as its sink wrote it is not written again (the cache), so
    // the run below has something to publish.
    await rm(join(workspace, 'out'), { recursive: true });

    // The inspector: the three runs with their words.
    await select('passing');
    const inspector = page.getByTestId('inspector-run');
    expect(await inspector.getByRole('button').allTextContents()).toEqual(['Run from here (publishes 2 outputs)', 'Run to here (no publish)', 'Run this node (no publish)']);
    // The field's words in a line of their own under the buttons, not a parenthesis squeezed into the label.
    expect(await inspector.locator('.field-label').textContent()).toBe('Run part of the pipeline');
    expect(await inspector.getByTestId('inspector-run-hint').textContent()).toBe('What the part reads comes from the node cache or is made again; only the outputs inside the part publish.');
    expect(await inspector.getByTestId('run-scope-from').getAttribute('title')).toBe('--select passing+: runs 5 nodes; 1 upstream node from the cache or made again; publishes out_summary, out_flagged');

    // The card's context menu says the same; run from here.
    await card('passing').locator('.node-name').click({ button: 'right' });
    const menu = page.getByTestId('node-menu');
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Run from here (publishes 2 outputs)', 'Run to here (no publish)', 'Run this node (no publish)']);
    expect(await axeViolations('[data-testid="node-menu"]')).toEqual([]);
    expect(await axeViolations('[data-testid="inspector-run"]')).toEqual([]);
    await page.mouse.move(0, 0);
    await shot('run-from-here-menu');
    await menu.getByTestId('run-scope-from').click();
    await expect.poll(() => menu.count()).toBe(0);
    const from = await nextRecord(1, BRANCHES);
    expect(from.status).toBe('succeeded');
    expect(from.selection).toBe('passing+');
    // Only passing, what follows it, and what it reads (from the cache) ran; the other branch did not.
    expect(from.nodes.map((n) => n.name).sort()).toEqual(['flagged', 'lots', 'out_flagged', 'out_summary', 'passing', 'summary']);
    expect(from.nodes.find((n) => n.name === 'lots')!.cached).toBe(true);
    expect(from.publishing?.published.sort()).toEqual(['out_flagged', 'out_summary']);
    // The cards: the other branch keeps no status of this run.
    await expect.poll(() => card('audit').locator('.node-status').getAttribute('data-status')).toBe('');
    // The log names the nodes that ran, and the timeline has their bars only.
    await showTab('log');
    await page.getByTestId('run-timeline').waitFor();
    await expect.poll(async () => (await barAttrs()).map((b) => b.node).sort()).toEqual(['flagged', 'lots', 'out_flagged', 'out_summary', 'passing', 'summary']);
    expect((await barAttrs()).find((b) => b.node === 'lots')!.cached).toBe(true);
    await page.mouse.move(0, 0);
    await shot('run-from-here-timeline');
    await page.getByTestId('run-view-log').click();
    const logged = await page.locator('[data-testid="log-line"]').evaluateAll((els) => [...new Set(els.map((e) => (e as HTMLElement).dataset.node).filter(Boolean))]);
    expect(logged.sort()).toEqual(['flagged', 'lots', 'out_flagged', 'out_summary', 'passing', 'summary']);

    // Run to here: nothing published.
    await card('summary').locator('.node-name').click({ button: 'right' });
    await page.getByTestId('node-menu').getByTestId('run-scope-to').click();
    const to = await nextRecord(2, BRANCHES);
    expect(to.selection).toBe('+summary');
    expect(to.nodes.map((n) => n.name).sort()).toEqual(['lots', 'passing', 'summary']);
    expect(to.publishing).toBeUndefined();
  });

  it('a partitioned pipeline runs each lot whole: the scoped runs are offered disabled, saying why', async () => {
    await openPipeline('pipelines/release_by_lot.weir.json');
    await select('assay_results');
    const from = page.getByTestId('inspector-run').getByTestId('run-scope-from');
    expect(await from.isDisabled()).toBe(true);
    expect(await from.getAttribute('title')).toBe('A partitioned pipeline runs each lot whole: use Run, or the Lots tab');
  });
});
