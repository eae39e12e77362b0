import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/canonical';
import type { Pipeline } from '../../shared/pipeline/schema';
import { designerUi, startDesigner, writeEmptyWorkspace, type Designer } from './support/designer';
import { setSql, sqlMarkers, sqlValue, waitForSqlEditor } from './support/monaco';

/**
 * The SQL editor end to end (Chromium against `weir serve`): Monaco in a SQL node with
 * completion of an input's columns, error markers from a preview and a run, and a low-code
 * node's live SQL, column picker and conversion to a SQL node.
 */
let designer: Designer;
let workspace: string;
let page: Page;
/** What the page said on its console, and the workers it started (Monaco's, as a blob). */
const consoleMessages: string[] = [];
const workers: string[] = [];
const QC = join('pipelines', 'qc.weir.json');
const file = () => join(workspace, QC);

const pipeline: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'qc',
  params: { site: { type: 'string', default: 'BOS' } },
  nodes: [
    {
      id: 'lots',
      name: 'lots',
      kind: 'seed',
      inputs: [],
      config: { columns: [{ name: 'lot', type: 'VARCHAR' }, { name: 'viability', type: 'DOUBLE' }], rows: [['B1', 91.5], ['B2', 64], ['B3', 88]] },
    },
    { id: 'assays', name: 'assays', kind: 'sql', inputs: ['lots'], config: { sql: ['select lot, viability * 1000 as "Cell Count", \'BOS\' as site', 'from lots'] } },
    { id: 'report', name: 'report', kind: 'sql', inputs: ['lots', 'assays'], config: { sql: ['select *', 'from lots'] } },
    { id: 'keep_good', name: 'keep_good', kind: 'filter', inputs: ['lots'], config: { condition: 'viability >= 70' } },
    { id: 'pick', name: 'pick', kind: 'select', inputs: ['assays'], config: { columns: [{ name: 'lot' }] } },
  ],
  layout: { lots: { x: 0, y: 0 }, assays: { x: 260, y: 0 }, report: { x: 520, y: 0 }, keep_good: { x: 260, y: 180 }, pick: { x: 520, y: 180 } },
};

const { card, shot, select, saveAndWait } = designerUi(() => page);
const editorOf = (nodeId: string, slot = 'sql') => page.locator(`[data-testid="sql-editor"][data-node-id="${nodeId}"][data-slot="${slot}"]`);

/** Puts the cursor at the end of the first line (Home/End keys move by visual rows when wrapped), or of the text. */
async function cursorTo(nodeId: string, where: 'end of first line' | 'end'): Promise<void> {
  await editorOf(nodeId).locator('.view-lines').click();
  if (where === 'end') return page.keyboard.press('Control+End');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
}

const suggestions = () => page.locator('.suggest-widget.visible .monaco-list-row');
const suggestionLabels = () => suggestions().evaluateAll((rows) => rows.map((r) => r.querySelector('.label-name')?.textContent ?? ''));

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-sql-',
    workspace: {
      name: 'lab',
      fill: async (dir) => {
        await writeEmptyWorkspace(dir);
        await writeFile(join(dir, QC), serializePipeline(pipeline));
      },
    },
    onPage: (p) => {
      p.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
      p.on('worker', (w) => workers.push(w.url()));
    },
    ready: (p) => designerUi(() => p).card('pick').waitFor({ timeout: 30_000 }),
  });
  workspace = designer.workspace!;
  page = designer.page;
}, 180_000);

afterAll(() => designer?.stop());

describe('the SQL editor', () => {
  it("completes an input's columns after alias., quoting a name that needs it, and the model holds the SQL", async () => {
    await select('report');
    await waitForSqlEditor(page, 'report');
    // The inputs' columns arrive in the background.
    await expect.poll(() => editorOf('report').getByTestId('sql-inputs').textContent(), { timeout: 30_000 }).toMatch(/lots · 2.*assays · 3/);

    await setSql(page, 'report', 'select \nfrom lots l\njoin assays a using (lot)');
    await cursorTo('report', 'end of first line');
    await page.keyboard.type('a.');
    await suggestions().first().waitFor();
    // Only assays' columns after `a.`.
    expect(await suggestionLabels()).toEqual(['Cell Count', 'lot', 'site']);
    await page.keyboard.type('Ce');
    await expect.poll(suggestionLabels).toEqual(['Cell Count']);
    await shot('20-sql-completion');
    // Tab takes the suggestion (Enter would be a new line: it takes one only after the arrows picked it).
    await page.keyboard.press('Tab');
    await expect.poll(() => sqlValue(page, 'report')).toBe('select a."Cell Count"\nfrom lots l\njoin assays a using (lot)');

    // Then a column of lots, picked from the list by clicking it.
    await page.keyboard.type(', l.v');
    await suggestions().filter({ hasText: 'viability' }).first().click();
    await expect.poll(() => sqlValue(page, 'report')).toBe('select a."Cell Count", l.viability\nfrom lots l\njoin assays a using (lot)');
    // The document took it: the node's config holds the lines.
    await page.getByTestId('dirty').waitFor();
  });

  it('Enter is a new line unless a suggestion was picked with the arrows; after FROM and JOIN the inputs come unasked, no DuckDB internals', async () => {
    await select('report');
    await waitForSqlEditor(page, 'report');
    await setSql(page, 'report', '');
    await cursorTo('report', 'end');
    await page.keyboard.type('select lot from ');
    // After `from ` the list opens by itself (no Ctrl+Space), with the inputs and nothing internal.
    await suggestions().first().waitFor();
    const offered = await suggestionLabels();
    expect(offered).toEqual(expect.arrayContaining(['lots', 'assays']));
    for (const label of offered) expect(['lots', 'assays', 'range', 'generate_series', 'unnest'], label).toContain(label);
    await shot('26-sql-from-suggestions');
    // `lots` typed in full and shown in the list: Enter still breaks the line (issue #15, item 12).
    await page.keyboard.type('lots');
    await expect.poll(suggestionLabels).toEqual(['lots']);
    await page.keyboard.press('Enter');
    await page.keyboard.type('group by all');
    await page.keyboard.press('Escape');
    await expect.poll(() => sqlValue(page, 'report')).toBe('select lot from lots\ngroup by all');

    // After `join ` too; the arrows pick, then Enter takes the picked one.
    await setSql(page, 'report', 'select lot from lots l\n');
    await cursorTo('report', 'end');
    await page.keyboard.type('join ');
    await expect.poll(suggestionLabels).toEqual(expect.arrayContaining(['lots', 'assays']));
    await page.keyboard.type('ass');
    await expect.poll(suggestionLabels).toEqual(['assays']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => sqlValue(page, 'report')).toBe('select lot from lots l\njoin assays');
  });

  it('offers the inputs where a table goes, and formats SQL keeping getvariable(…) intact', async () => {
    await setSql(page, 'report', "select lot from lots where site = getvariable('site')\n");
    await cursorTo('report', 'end');
    await page.keyboard.type('union all select lot from ass');
    await expect.poll(suggestionLabels).toEqual(['assays']);
    await page.keyboard.press('Tab');
    await expect.poll(() => sqlValue(page, 'report')).toBe("select lot from lots where site = getvariable('site')\nunion all select lot from assays");
    await page.getByTestId('sql-format').click();
    await expect
      .poll(() => sqlValue(page, 'report'))
      .toBe(['select', '  lot', 'from', '  lots', 'where', "  site = getvariable('site')", 'union all', 'select', '  lot', 'from', '  assays'].join('\n'));
    // Formatting goes through Monaco's worker: bundled, started from a blob under the server's strict CSP.
    await expect.poll(() => workers.filter((w) => w.startsWith('blob:')).length).toBeGreaterThan(0);
    expect(consoleMessages.filter((m) => /Content Security Policy|Refused to|Could not create web worker/i.test(m))).toEqual([]);

    // The key the button's title names formats too (Monaco's own binding on Linux is another).
    await setSql(page, 'report', 'select lot from lots');
    await cursorTo('report', 'end');
    await page.keyboard.press('Shift+Alt+F');
    await expect.poll(() => sqlValue(page, 'report')).toBe(['select', '  lot', 'from', '  lots'].join('\n'));
  });

  it('marks the line DuckDB reports when a preview fails, and clears it when the SQL is fixed', async () => {
    await setSql(page, 'report', 'select lot,\n  viability,\n  no_such_column\nfrom lots');
    await page.keyboard.press('Control+p');
    await expect.poll(async () => (await sqlMarkers(page, 'report')).map((m) => m.line), { timeout: 30_000 }).toEqual([3]);
    const [marker] = await sqlMarkers(page, 'report');
    expect(marker!.message).toMatch(/no_such_column/);
    expect(marker!.message).not.toMatch(/^node "/);
    // The squiggle is drawn on that line.
    await editorOf('report').locator('.squiggly-error').first().waitFor();
    await editorOf('report').getByTestId('sql-error-note').filter({ hasText: 'line 3' }).waitFor();
    await shot('21-sql-error-marker');

    // Then a table that is no input, on line 4: the designer refuses that preview itself, and the
    // old line-3 marker, on text that is no longer there, goes (it stayed, pointing at line 3).
    await setSql(page, 'report', 'select lot,\n  viability,\n  no_such_column\nfrom nope');
    await page.keyboard.press('Control+p');
    await page.getByTestId('preview-error').filter({ hasText: 'Cannot preview' }).waitFor();
    await expect.poll(() => sqlMarkers(page, 'report')).toEqual([]);
    expect(await editorOf('report').getByTestId('sql-error-note').count()).toBe(0);

    await setSql(page, 'report', 'select lot,\n  viability\nfrom lots');
    await page.keyboard.press('Control+p');
    await expect.poll(() => sqlMarkers(page, 'report'), { timeout: 30_000 }).toEqual([]);
  });

  it('a preview after an edit sends the edited node, not the document (issue #14)', async () => {
    const bodies: { pipeline?: unknown; base?: string; edits?: { put?: { name: string }[] } }[] = [];
    let previews = 0;
    // Every call that computes nodes of the document shares the file's revision: the editor's
    // column completion (describeInputs) may carry the edit before the preview does.
    const onRequest = (r: { url(): string; postDataJSON(): unknown }) => {
      if (/\/api\/pipeline\.(preview|profile|describeInputs)$/.test(r.url())) bodies.push(r.postDataJSON() as (typeof bodies)[number]);
      if (r.url().endsWith('/api/pipeline.preview')) previews++;
    };
    page.on('request', onRequest);
    try {
      await setSql(page, 'report', 'select lot\nfrom lots\nwhere viability > 80');
      await page.keyboard.press('Control+p');
      await expect.poll(() => previews, { timeout: 30_000 }).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('preview-count').textContent(), { timeout: 30_000 }).toBe('2 rows');
      // Earlier previews gave the page a revision: every preview since sends edits of it, and the edit is the one node.
      for (const b of bodies) {
        expect(b.pipeline).toBeUndefined();
        expect(b.base).toMatch(/^[0-9a-f]+-\d+$/);
      }
      expect(bodies.length).toBeGreaterThan(0);
      expect(new Set(bodies.flatMap((b) => (b.edits?.put ?? []).map((n) => n.name)))).toEqual(new Set(['report']));
    } finally {
      page.off('request', onRequest);
    }
  });

  it('marks the failing line after a run too', async () => {
    await setSql(page, 'report', 'select lot\nfrom lots\nwhere nope > 1');
    await page.keyboard.press('Control+Enter'); // saves, then runs the file
    await expect.poll(async () => (await sqlMarkers(page, 'report')).map((m) => m.line), { timeout: 60_000 }).toEqual([3]);
    expect((await sqlMarkers(page, 'report'))[0]!.column).toBe(7); // the column DuckDB points at: `nope`
  });
});

describe('low-code nodes', () => {
  it('show the SQL they generate, live, pick columns of the input, and convert to a SQL node (undoably)', async () => {
    await select('keep_good');
    await waitForSqlEditor(page, 'keep_good', 'generated');
    expect(await sqlValue(page, 'keep_good', 'generated')).toBe('SELECT *\nFROM lots\nWHERE viability >= 70');
    // The condition is a small SQL editor; the generated SQL follows it.
    await setSql(page, 'keep_good', 'viability >= 80', 'condition');
    await expect.poll(() => sqlValue(page, 'keep_good', 'generated')).toBe('SELECT *\nFROM lots\nWHERE viability >= 80');
    await shot('22-low-code-filter');

    // A select node's column field offers the input's columns.
    await select('pick');
    const columnField = page.locator('[data-testid="inspector"] input[list]').first();
    await expect.poll(() => columnField.evaluate((el) => [...((el as HTMLInputElement).list?.options ?? [])].map((o) => o.value)), { timeout: 30_000 }).toEqual([
      'lot',
      'Cell Count',
      'site',
    ]);
    await columnField.fill('Cell Count');
    await expect.poll(() => sqlValue(page, 'pick', 'generated')).toBe('SELECT "Cell Count"\nFROM assays');
    await shot('23-low-code-select');

    await select('keep_good');
    await page.getByTestId('convert-to-sql').click();
    await waitForSqlEditor(page, 'keep_good');
    expect(await page.locator('.inspector-kind').textContent()).toBe('SQL');
    expect(await sqlValue(page, 'keep_good')).toBe('SELECT *\nFROM lots\nWHERE viability >= 80');
    await shot('24-converted-to-sql');
    await page.getByTestId('undo').click();
    await waitForSqlEditor(page, 'keep_good', 'generated');
    expect(await page.locator('.inspector-kind').textContent()).toBe('Filter rows');

    await page.getByTestId('redo').click();
    await waitForSqlEditor(page, 'keep_good');
    await saveAndWait();
    const saved = JSON.parse(await readFile(file(), 'utf8')) as Pipeline;
    expect(saved.nodes.find((n) => n.id === 'keep_good')).toMatchObject({ kind: 'sql', inputs: ['lots'], config: { sql: ['SELECT *', 'FROM lots', 'WHERE viability >= 80'] } });

    // The dark theme, with the last run's marker still on report's SQL.
    await select('report');
    await waitForSqlEditor(page, 'report');
    await page.getByTestId('theme').click();
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await editorOf('report').locator('.squiggly-error').first().waitFor();
    await page.waitForTimeout(300); // Monaco repaints the tokens in the new colours on a later frame; for the screenshot only
    await shot('25-sql-editor-dark');
    await page.getByTestId('theme').click();
  });
});
