import { execFileSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../../shared/pipeline/canonical';
import { PipelineWatcher } from '../../../src-main/api/file-watch';
import { makeService, makeWorkspace, samplePipeline } from './fixture';

/**
 * Changes made outside the app to the open workspace's pipelines reach the designer as
 * `workspace.changed` events (issue #15 item 8), with each file's hash as pipeline.read gives
 * it; the service's own writes are not reported.
 */
let ws: Awaited<ReturnType<typeof makeWorkspace>>;
let svc: ReturnType<typeof makeService>;
const REL = 'pipelines/release.weir.json';

beforeEach(async () => {
  ws = await makeWorkspace();
  svc = makeService(ws.home);
  await svc.call('workspace.open', { root: ws.root });
});
afterEach(async () => {
  svc.service.dispose();
  await ws.cleanup();
});

const changes = () => svc.events.filter((e) => e.name === 'workspace.changed').map((e) => e.payload as { root: string; changes: { path: string; sha256: string | null }[]; git: boolean });
const changed = (path: string) => changes().flatMap((c) => c.changes.filter((x) => x.path === path));

describe('the open workspace is watched', () => {
  it('reports a pipeline changed on disk with its new hash, the one pipeline.read gives', async () => {
    const edited = { ...samplePipeline(), description: 'changed by git checkout' };
    await writeFile(join(ws.root, REL), serializePipeline(edited));
    await expect.poll(() => changed(REL).length, { timeout: 6000 }).toBeGreaterThan(0);
    const { sha256 } = await svc.call('pipeline.read', { root: ws.root, path: REL });
    expect(changed(REL).at(-1)!.sha256).toBe(sha256);
    expect(changes()[0]!.root).toBe(ws.root);
  });

  it('does not report its own saves, and reports a file added and one deleted', async () => {
    const doc = await svc.call('pipeline.read', { root: ws.root, path: REL });
    await svc.call('pipeline.save', { root: ws.root, path: REL, pipeline: { ...doc.pipeline, description: 'saved here' }, expectSha256: doc.sha256 });
    await svc.call('pipeline.create', { root: ws.root, name: 'made_here' });
    await writeFile(join(ws.root, 'pipelines', 'other.weir.json'), serializePipeline({ ...samplePipeline(), name: 'other' }));
    await expect.poll(() => changed('pipelines/other.weir.json').length, { timeout: 6000 }).toBe(1);
    // A poll of the same scan has run by now too: still nothing about the saved or created file.
    await new Promise((r) => setTimeout(r, 2500));
    expect(changed(REL)).toEqual([]);
    expect(changed('pipelines/made_here.weir.json')).toEqual([]);

    await rm(join(ws.root, REL));
    await expect.poll(() => changed(REL), { timeout: 6000 }).toEqual([{ path: REL, sha256: null }]);
  });

  it('a touch that leaves the content as it was reports nothing', async () => {
    const text = serializePipeline(samplePipeline());
    await writeFile(join(ws.root, REL), text);
    await new Promise((r) => setTimeout(r, 2500));
    expect(changed(REL)).toEqual([]);
  });
});

describe('PipelineWatcher', () => {
  it('says when git HEAD moved (a commit made outside), even with no pipeline changed', async () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, encoding: 'utf8' });
    git('init', '--quiet', '--initial-branch=main');
    git('-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '--allow-empty', '-m', 'one');
    const seen: { git: boolean; changes: unknown[] }[] = [];
    const w = new PipelineWatcher((p) => seen.push(p), { pollMs: 200 });
    try {
      await w.watch(ws.root);
      git('-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '--allow-empty', '-m', 'two');
      await expect.poll(() => seen.some((s) => s.git), { timeout: 5000 }).toBe(true);
      expect(seen.flatMap((s) => s.changes)).toEqual([]);
    } finally {
      w.close();
    }
  });

  it('finds a change by polling alone (where fs.watch says nothing), and stops when closed', async () => {
    const seen: unknown[] = [];
    const w = new PipelineWatcher((p) => seen.push(p), { pollMs: 150, fsWatch: false });
    await w.watch(ws.root);
    await writeFile(join(ws.root, REL), serializePipeline({ ...samplePipeline(), description: 'polled' }));
    await expect.poll(() => seen.length, { timeout: 3000 }).toBe(1);
    w.close();
    await writeFile(join(ws.root, REL), serializePipeline({ ...samplePipeline(), description: 'after close' }));
    await new Promise((r) => setTimeout(r, 600));
    expect(seen).toHaveLength(1);
  });
});
