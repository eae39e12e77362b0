import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { makeService, makeWorkspace, samplePipeline } from './fixture';

let ws: Awaited<ReturnType<typeof makeWorkspace>>;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(() => ws.cleanup());

describe('workspaces', () => {
  it('opens a folder: its pipelines (broken ones with the reason), environments, and remembers it', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const info = await call('workspace.open', { root: ws.root });
    expect(info.environments).toEqual(['dev', 'prod']);
    expect(info.hasWorkspaceFile).toBe(true);
    expect(info.pipelines.map((p: { path: string }) => p.path)).toEqual(['pipelines/broken.weir.json', 'pipelines/release.weir.json']);
    expect(info.pipelines[1]).toMatchObject({ name: 'release', nodes: 3, error: null });
    expect(info.pipelines[0].error).toMatch(/malformed JSON/);
    expect((await call('workspace.recent', {})).recent).toEqual([ws.root]);
    const again = makeService(ws.home, { open: ws.root });
    expect((await again.call('app.start', {})).workspace.root).toBe(ws.root);
  });

  it('lists sub-folders for the in-app folder chooser', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const listing = await call('fs.listFolders', { path: join(ws.root, '..') });
    expect(listing.folders.map((f: { name: string }) => f.name)).toContain('ws');
    expect(listing.folders.find((f: { name: string }) => f.name === 'ws').isWorkspace).toBe(true);
  });

  it('opens the sample workspace on first start, copying the template once', async () => {
    const templates = await mkdtemp(join(tmpdir(), 'weir-templates-'));
    try {
      const tpl = join(templates, 'cgt-batch-release');
      await mkdir(join(tpl, 'pipelines'), { recursive: true });
      await mkdir(join(tpl, '.weir', 'runs'), { recursive: true });
      await writeFile(join(tpl, 'pipelines', 'release.weir.json'), serializePipeline(samplePipeline()));
      const { call } = makeService(ws.home, { templatesDir: templates });
      const start = await call('app.start', {});
      expect(start.workspace.root).toBe(join(ws.home, 'sample-workspace'));
      expect(start.workspace.sample).toBe(true);
      expect(start.workspace.pipelines).toHaveLength(1);
      expect(existsSync(join(ws.home, 'sample-workspace', '.weir'))).toBe(false);
      // The user's edits to the sample stay: a second start does not copy over them.
      await writeFile(join(ws.home, 'sample-workspace', 'note.txt'), 'mine');
      await call('workspace.openSample', {});
      expect(await readFile(join(ws.home, 'sample-workspace', 'note.txt'), 'utf8')).toBe('mine');
    } finally {
      await rm(templates, { recursive: true, force: true });
    }
  });

  it('starts with no workspace and says why when there is neither a recent one nor a template', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const start = await call('app.start', {});
    expect(start.workspace).toBeNull();
    expect(start.notice).toMatch(/no sample template/);
    expect(start.shell).toBe('browser');
  });
});

describe('pipelines', () => {
  const path = 'pipelines/release.weir.json';

  it('reads and saves in canonical form: load → save gives the same bytes', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const doc = await call('pipeline.read', { root: ws.root, path });
    expect(doc.issues).toEqual([]);
    const saved = await call('pipeline.save', { root: ws.root, path, pipeline: doc.pipeline, expectSha256: doc.sha256 });
    expect(saved.text).toBe(doc.text);
    expect(await readFile(join(ws.root, path), 'utf8')).toBe(doc.text);
  });

  it('refuses to overwrite a file changed on disk since it was read, and Save As over an existing file', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const doc = await call('pipeline.read', { root: ws.root, path });
    await writeFile(join(ws.root, path), doc.text.replace('"release"', '"release2"'));
    await expect(call('pipeline.save', { root: ws.root, path, pipeline: doc.pipeline, expectSha256: doc.sha256 })).rejects.toThrow(/changed on disk/);
    await expect(call('pipeline.save', { root: ws.root, path, pipeline: doc.pipeline, expectSha256: null })).rejects.toThrow(/already exists/);
  });

  it('opens a file whose nodes have problems, listing them, and saves it', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const p = samplePipeline();
    p.nodes[2]!.inputs = [];
    await writeFile(join(ws.root, 'pipelines', 'wip.weir.json'), serializePipeline(p));
    const doc = await call('pipeline.read', { root: ws.root, path: 'pipelines/wip.weir.json' });
    expect(doc.issues).toEqual([{ path: 'nodes[2].inputs', message: 'a file_sink node takes 1 input, got 0' }]);
    const saved = await call('pipeline.save', { root: ws.root, path: 'pipelines/wip.weir.json', pipeline: doc.pipeline });
    expect(saved.issues).toHaveLength(1);
    expect((await call('pipeline.validate', { pipeline: doc.pipeline })).issues).toHaveLength(1);
    expect((await call('pipeline.validate', { pipeline: samplePipeline() })).issues).toEqual([]);
  });

  it('creates an empty pipeline and refuses to create it twice', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    const doc = await call('pipeline.create', { root: ws.root, name: 'assays' });
    expect(doc.path).toBe('pipelines/assays.weir.json');
    expect(doc.pipeline.nodes).toEqual([]);
    expect(await readFile(join(ws.root, doc.path), 'utf8')).toBe(doc.text);
    await expect(call('pipeline.create', { root: ws.root, name: 'assays' })).rejects.toThrow(/already exists/);
  });
});

describe('drafts (recovery after a crash)', () => {
  const path = 'pipelines/release.weir.json';
  it('keeps a draft until the pipeline is saved or the draft discarded', async () => {
    const { call } = makeService(ws.home, { open: ws.root });
    expect((await call('drafts.get', { root: ws.root, path })).draft).toBeNull();
    await call('drafts.save', { root: ws.root, path, text: '{"draft":1}', baseSha256: 'abc' });
    // A second service (the app after a crash) finds it.
    const after = makeService(ws.home, { open: ws.root });
    expect((await after.call('drafts.get', { root: ws.root, path })).draft).toMatchObject({ text: '{"draft":1}', baseSha256: 'abc' });
    const doc = await after.call('pipeline.read', { root: ws.root, path });
    await after.call('pipeline.save', { root: ws.root, path, pipeline: doc.pipeline });
    expect((await after.call('drafts.get', { root: ws.root, path })).draft).toBeNull();
    await call('drafts.save', { root: ws.root, path, text: 'x', baseSha256: null });
    await call('drafts.discard', { root: ws.root, path });
    expect((await call('drafts.get', { root: ws.root, path })).draft).toBeNull();
  });
});

describe('secrets', () => {
  it('lists names, never values', async () => {
    const { call, secrets } = makeService(ws.home, { open: ws.root });
    await call('secrets.set', { name: 'PG_PASSWORD', value: 's3cret' });
    const listed = await call('secrets.list', {});
    expect(listed).toEqual({ names: ['PG_PASSWORD'], persistent: false });
    expect(JSON.stringify(listed)).not.toContain('s3cret');
    expect(secrets.get('PG_PASSWORD')).toBe('s3cret');
    await call('secrets.delete', { name: 'PG_PASSWORD' });
    expect((await call('secrets.list', {})).names).toEqual([]);
    await expect(call('secrets.set', { name: 'not a name', value: 'x' })).rejects.toThrow(/secret name/);
  });
});

describe('the sample workspace under concurrent first starts', () => {
  it('is copied once when two starts race, and both open it', async () => {
    const templates = await mkdtemp(join(tmpdir(), 'weir-templates-'));
    try {
      await mkdir(join(templates, 'cgt-batch-release', 'pipelines'), { recursive: true });
      await writeFile(join(templates, 'cgt-batch-release', 'pipelines', 'release.weir.json'), serializePipeline(samplePipeline()));
      const a = makeService(ws.home, { templatesDir: templates });
      const b = makeService(ws.home, { templatesDir: templates });
      const [x, y] = await Promise.all([a.call('app.start', {}), b.call('app.start', {}), a.call('workspace.openSample', {})]);
      expect(x.workspace.root).toBe(join(ws.home, 'sample-workspace'));
      expect(y.workspace.root).toBe(x.workspace.root);
      const { readdir } = await import('node:fs/promises');
      expect((await readdir(ws.home)).filter((n) => n.startsWith('sample-workspace'))).toEqual(['sample-workspace']);
    } finally {
      await rm(templates, { recursive: true, force: true });
    }
  });
});
