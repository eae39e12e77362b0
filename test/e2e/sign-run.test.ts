import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initSigner } from '../../src-main/engine/audit/signatures/signer-init';
import { serializePipeline } from '../../shared/pipeline/canonical';
import type { Pipeline } from '../../shared/pipeline/schema';
import { runPipelineFile } from '../support/engine';
import { designerUi, startDesigner, writeEmptyWorkspace, type Designer } from './support/designer';

/**
 * Signing a run in the designer (issue #18 item 6): History's "Sign…" shows what is signed,
 * takes meaning, comment and passphrase, and the release-state badge changes. The signer's
 * key file is made first (as `weir signer init` makes it) and listed in signers.json.
 */
const PASSPHRASE = 'e2e signing passphrase';
const PIPELINE = 'pipelines/signed.weir.json';

let designer: Designer;
let page: Page;
let keyDir: string;
let runId: string;
const savedKeyDir = process.env.WEIR_SIGNER_KEY_DIR;
const { shot } = designerUi(() => page);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'weir-e2e-keys-'));
  // The server reads its key folder from the environment it starts with.
  process.env.WEIR_SIGNER_KEY_DIR = keyDir;
  const { entry } = await initSigner({ id: 'qa.lead', name: 'Dr. Quinn Lead', roles: ['QA'], passphrase: PASSPHRASE }, keyDir, new Date(Date.now() - 60_000));
  designer = await startDesigner({
    prefix: 'weir-e2e-sign-',
    workspace: {
      name: 'signing',
      async fill(dir) {
        await writeEmptyWorkspace(dir);
        await writeFile(join(dir, 'signers.json'), JSON.stringify({ format: 'weir.signers', version: 1, signers: [entry] }, null, 2));
        const pipeline = {
          format: 'weir.pipeline',
          version: 1,
          name: 'signed',
          // A parameter, so that History's head has one to show (it wraps at 1024 px).
          params: { min_viability_pct: { type: 'number', default: 70 } },
          nodes: [
            { id: 'seed', name: 'results', kind: 'seed', inputs: [], config: { columns: [{ name: 'batch_id', type: 'VARCHAR' }, { name: 'viability_pct', type: 'DOUBLE' }], rows: [['B0042', 91.5]] } },
            { id: 'chk', name: 'results_checked', kind: 'check', inputs: ['seed'], config: { rules: [{ type: 'range', column: 'viability_pct', min: 0, max: 100 }] } },
          ],
          layout: { seed: { x: 40, y: 40 }, chk: { x: 340, y: 40 } },
        };
        // Canonical, so that the designer opens it clean (a file in another form opens as an unsaved edit).
        await writeFile(join(dir, PIPELINE), serializePipeline(pipeline as Pipeline));
        const outcome = await runPipelineFile({ file: join(dir, PIPELINE) });
        expect(outcome.status).toBe('succeeded');
        runId = outcome.runId;
      },
    },
  });
  page = designer.page;
}, 180_000);

afterAll(async () => {
  await designer?.stop();
  await rm(keyDir, { recursive: true, force: true });
  if (savedKeyDir === undefined) delete process.env.WEIR_SIGNER_KEY_DIR;
  else process.env.WEIR_SIGNER_KEY_DIR = savedKeyDir;
});

describe('signing a run in the designer', () => {
  it('History shows the run pending; Sign… shows what is signed, refuses a wrong passphrase, signs, and the badge turns released', async () => {
    // The file opens as saved: nothing unsaved stands between the run and what is on screen.
    await page.getByTestId('tab-history').click();
    await shot('sign-opened');
    expect(await page.getByTestId('dirty').count()).toBe(0);
    const item = page.locator(`[data-testid="history-item"][data-run-id="${runId}"]`);
    await item.waitFor();
    await expect.poll(() => item.getByTestId('release-badge').getAttribute('data-state')).toBe('pending');
    await item.click();
    await page.getByTestId('history-sign').click();
    const dialog = page.getByTestId('sign-dialog');
    await dialog.getByTestId('sign-subject').waitFor();
    expect(await dialog.getByTestId('sign-commit').textContent()).toBe('not in git');
    expect(await dialog.getByTestId('sign-checks').textContent()).toContain('PASS results_checked.range_viability_pct');
    expect((await dialog.getByTestId('sign-record-hash').textContent())?.trim()).toMatch(/^[0-9a-f]{64}$/);

    await dialog.getByTestId('sign-meaning').selectOption('released');
    await dialog.getByTestId('sign-comment').fill('released after review of the batch record');
    await dialog.getByTestId('sign-passphrase').fill('not the passphrase');
    await dialog.getByTestId('sign-submit').click();
    await expect.poll(() => dialog.getByTestId('sign-result').textContent()).toContain('wrong passphrase for signer "qa.lead"');
    // The field is cleared whatever the outcome.
    expect(await dialog.getByTestId('sign-passphrase').inputValue()).toBe('');
    await expect.poll(() => item.getByTestId('release-badge').getAttribute('data-state')).toBe('pending');

    await dialog.getByTestId('sign-passphrase').fill(PASSPHRASE);
    await dialog.getByTestId('sign-submit').click();
    await expect.poll(() => dialog.getByTestId('sign-result').textContent()).toBe('Signed as released by Dr. Quinn Lead; state pending → released');
    await shot('sign-dialog-signed');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => item.getByTestId('release-badge').getAttribute('data-state')).toBe('released');
    const signature = page.getByTestId('history-signature');
    await expect.poll(() => signature.count()).toBe(1);
    expect(await signature.textContent()).toContain('Dr. Quinn Lead');
    expect(await signature.getAttribute('data-meaning')).toBe('released');
    await shot('sign-history-released');

    // The passphrase went to the main process once and was kept nowhere.
    expect(designer.served.stdout()).not.toContain(PASSPHRASE);
    for (const f of [...filesUnder(designer.workspace!), ...filesUnder(keyDir)]) expect(readFileSync(f, 'latin1'), f).not.toContain(PASSPHRASE);
  }, 120_000);

  it('the Parameters tab takes a reason for the next run, which History shows from its run record', async () => {
    await page.getByTestId('tab-params').click();
    await page.getByTestId('run-reason').fill('re-run for lot B0042 after deviation DEV-12');
    await page.getByTestId('run').click();
    await page.getByTestId('tab-history').click();
    const newRun = page.locator(`[data-testid="history-item"]:not([data-run-id="${runId}"])`);
    await expect.poll(() => newRun.count(), { timeout: 30_000 }).toBe(1);
    await newRun.click();
    await expect.poll(() => page.getByTestId('history-reason').textContent().catch(() => null), { timeout: 30_000 }).toBe('reason: re-run for lot B0042 after deviation DEV-12');
    // The head's items stand alone when it wraps (1024 px): none begins with a separator.
    expect(await page.getByTestId('history-params').textContent()).toBe('with min_viability_pct=70');
    const heads = await page.locator('.history-record-head > span').allTextContents();
    expect(heads.filter((t) => t.trim().startsWith('·'))).toEqual([]);
    await shot('run-reason-in-history');
    // A reason is about one run: the field is empty again once the run started.
    await page.getByTestId('tab-params').click();
    expect(await page.getByTestId('run-reason').inputValue()).toBe('');
  }, 90_000);
  it('refuses to sign while the run\'s pipeline has unsaved edits in the designer, and signs again once they are undone', async () => {
    await page.getByTestId('tab-history').click();
    await page.locator(`[data-testid="history-item"][data-run-id="${runId}"]`).click();
    await page.locator('#pipeline-description').fill('an edit not saved');
    await page.getByTestId('dirty').waitFor();
    await page.getByTestId('history-sign').click();
    const refusal = page.getByTestId('sign-refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(`${PIPELINE} has unsaved changes in the designer: save or undo them before signing one of its runs`);
    expect(await page.getByTestId('sign-submit').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('undo').click();
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
    await page.getByTestId('history-sign').click();
    await page.getByTestId('sign-dialog').getByTestId('sign-passphrase').waitFor();
    expect(await page.getByTestId('sign-refusal').count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('sign-dialog').count()).toBe(0);
    // Leave History (a click on the open tab would fold the panel for the next test).
    await page.getByTestId('tab-params').click();
  }, 60_000);

  it('refuses to sign a run whose pipeline file was changed since (not in git)', async () => {
    await writeFile(join(designer.workspace!, PIPELINE), readFileSync(join(designer.workspace!, PIPELINE), 'utf8').replace('91.5', '92.5'));
    await page.getByTestId('tab-history').click();
    await page.locator(`[data-testid="history-item"][data-run-id="${runId}"]`).click();
    await page.getByTestId('history-sign').click();
    const refusal = page.getByTestId('sign-refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(`${PIPELINE} is not the file run ${runId} ran (it was changed or removed since, and is not in git): the run cannot be signed`);
    expect(await page.getByTestId('sign-submit').count()).toBe(0);
    await shot('sign-dialog-refused');
  }, 60_000);

});
