import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/canonical';
import type { Pipeline } from '../../shared/pipeline/schema';
import { designerUi, startDesigner, type Designer } from './support/designer';

/**
 * Issue #17, item 4, in the designer (Chromium against `weir serve`): the node forms, made from
 * the kinds' schemas, offer an http source's watermark and a lake source's `only_new`, and what
 * is typed there is saved in the pipeline file.
 */
let designer: Designer;
let page: Page;
const FILE = join('pipelines', 'incremental.weir.json');

const pipeline: Pipeline = {
  format: 'weir.pipeline',
  version: 1,
  name: 'incremental',
  params: {},
  nodes: [
    { id: 'entries', name: 'entries', kind: 'http_source', inputs: [], config: { connection: 'api', url: 'entries.json' } },
    { id: 'files', name: 'raw_files', kind: 'lake_source', inputs: [], config: { connection: 'lake', prefix: 'raw/', glob: '*.csv', format: 'csv' } },
  ],
  layout: { entries: { x: 0, y: 0 }, files: { x: 0, y: 180 } },
};

const { shot, select, saveAndWait } = designerUi(() => page);
const field = (path: string) => page.getByTestId('inspector').locator(`[data-field="${path}"]`);

beforeAll(async () => {
  designer = await startDesigner({
    prefix: 'weir-e2e-incremental-',
    workspace: {
      name: 'cgm',
      fill: async (dir) => {
        await mkdir(join(dir, 'pipelines'), { recursive: true });
        await mkdir(join(dir, 'data', 'raw'), { recursive: true });
        await writeFile(join(dir, 'data', 'raw', 'a.csv'), 'batch_id,reading\nB0001,1\n');
        // Nothing listens on port 9: the source's preview fails, which the form does not mind.
        const connections = { api: { kind: 'http', base_url: 'http://127.0.0.1:9/api/v1' }, lake: { kind: 'folder', path: 'data' } };
        await writeFile(join(dir, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments: { dev: { connections } } }));
        await writeFile(join(dir, FILE), serializePipeline(pipeline));
      },
    },
    ready: (p) => designerUi(() => p).card('raw_files').waitFor({ timeout: 30_000 }),
  });
  page = designer.page;
}, 180_000);

afterAll(() => designer?.stop());

describe('incremental sources in the node forms', () => {
  it("offers the http source's watermark and the lake source's only_new, and saves them", async () => {
    await select('entries');
    await field('watermark').getByRole('button', { name: /Watermark options/ }).click();
    await field('watermark.field').locator('input').fill('dateString');
    await field('watermark.param').locator('input').fill('find[dateString][$gte]');
    await field('watermark.initial').locator('input').fill('2026-01-01');
    await shot('70-http-source-watermark');

    await select('raw_files');
    const onlyNew = field('only_new').locator('input[type="checkbox"]');
    expect(await onlyNew.isChecked()).toBe(false);
    await onlyNew.check();
    await shot('71-lake-source-only-new');

    await saveAndWait();
    const saved = JSON.parse(readFileSync(join(designer.workspace!, FILE), 'utf8')) as Pipeline;
    expect(saved.nodes.find((n) => n.id === 'entries')!.config).toMatchObject({ watermark: { field: 'dateString', param: 'find[dateString][$gte]', initial: '2026-01-01' } });
    expect(saved.nodes.find((n) => n.id === 'files')!.config).toMatchObject({ only_new: true });
  });
});
