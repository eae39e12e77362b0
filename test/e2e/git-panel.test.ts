import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/canonical';
import type { Pipeline } from '../../shared/pipeline/schema';
import { setSql } from './support/monaco';
import { designerUi, startDesigner, writeEmptyWorkspace, type Designer } from './support/designer';

/**
 * The designer on a workspace that is a git repository: edit a node's SQL, save, see the
 * pipeline marked M and the SQL line diff in the Changes tab, commit it, see ✓ and the
 * commit in the history, then restore the earlier version.
 */
let designer: Designer;
let page: Page;
const REL = 'pipelines/lots.weir.json';
const { select, saveAndWait, shot } = designerUi(() => page);

const lots: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'lots',
  params: {},
  nodes: [
    { id: 'raw', name: 'raw', kind: 'seed', inputs: [], config: { columns: [{ name: 'lot', type: 'VARCHAR' }, { name: 'v', type: 'DOUBLE' }], rows: [['B1', 91], ['B2', 60]] } },
    { id: 'good', name: 'good', kind: 'sql', inputs: ['raw'], config: { materialize: 'auto', sql: ['select lot, v', 'from raw', 'where v >= 70'] } },
  ],
  layout: { raw: { x: 40, y: 40 }, good: { x: 340, y: 40 } },
};

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
const mark = () => page.locator(`[data-testid="pipeline-item"][data-path="${REL}"] [data-testid="git-mark"]`);

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-git-',
    workspace: {
      name: 'ws',
      async fill(dir) {
        await writeEmptyWorkspace(dir);
        await writeFile(join(dir, REL), serializePipeline(lots));
        git(dir, 'init', '--quiet', '--initial-branch=main');
        git(dir, 'config', 'user.name', 'Ada Tester');
        git(dir, 'config', 'user.email', 'ada@example.com');
        git(dir, 'config', 'commit.gpgsign', 'false');
        git(dir, 'add', '--', REL);
        git(dir, 'commit', '--quiet', '-m', 'First version');
      },
    },
  });
  page = designer.page;
  page.on('dialog', (d) => void d.accept());
}, 180_000);
afterAll(() => designer?.stop());

describe('the Changes tab on a git workspace', () => {
  it('edits, saves, sees M and the SQL diff, commits, sees ✓ and history, restores', async () => {
    const ws = designer.workspace as string;
    await expect.poll(() => mark().textContent()).toBe('✓');

    await select('good');
    await setSql(page, 'good', 'select lot, v\nfrom raw\nwhere v >= 80');
    await saveAndWait();
    await expect.poll(() => mark().textContent()).toBe('M');

    await page.getByTestId('tab-changes').click();
    const diff = page.getByTestId('git-sql-diff');
    await diff.waitFor();
    await expect.poll(() => page.getByTestId('git-summary').textContent()).toBe('1 node changed; SQL +1 -1 lines');
    expect(await diff.locator('.del').allTextContents()).toEqual(['- where v >= 70\n']);
    expect(await diff.locator('.add').allTextContents()).toEqual(['+ where v >= 80\n']);
    await shot('git-panel-modified');

    await expect.poll(() => page.getByTestId('git-commit-file').count()).toBe(1);
    await page.getByTestId('git-commit-message').fill('Raise the threshold to 80');
    await page.getByTestId('git-commit').click();
    await expect.poll(() => mark().textContent()).toBe('✓');
    await expect.poll(() => page.getByTestId('git-history-entry').allTextContents()).toEqual([
      expect.stringContaining('Raise the threshold to 80'),
      expect.stringContaining('First version'),
    ]);
    expect(git(ws, 'log', '-1', '--format=%s%x00%an')).toBe('Raise the threshold to 80\0Ada Tester');
    await expect.poll(() => page.getByTestId('git-summary').textContent()).toBe('no changes');

    // What the latest commit changed, from its history entry.
    await page.getByTestId('git-history-diff').first().click();
    await expect.poll(() => page.getByTestId('git-summary').textContent()).toBe('1 node changed; SQL +1 -1 lines');
    await shot('git-panel-committed');

    // Restore the first version: the file and the open document go back, marked M.
    await page.getByTestId('git-history-restore').nth(1).click();
    await expect.poll(() => mark().textContent()).toBe('M');
    expect(await readFile(join(ws, REL), 'utf8')).toBe(serializePipeline(lots));
    await expect.poll(() => page.getByTestId('git-summary').textContent()).toBe('1 node changed; SQL +1 -1 lines');
    await expect.poll(() => page.getByTestId('git-sql-diff').locator('.add').allTextContents()).toEqual(['+ where v >= 70\n']);
    await shot('git-panel-restored');
  }, 180_000);
});
