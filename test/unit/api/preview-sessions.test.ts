import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { PreviewManager } from '../../../src-main/api/preview';
import { processTag } from '../../../src-main/engine/storage/owner-tag';
import { scratchRoot } from '../../../src-main/engine/sandbox/allowed-dirs';
import { testEngine } from '../../support/engine';
import { makeService, makeWorkspace, samplePipeline } from './fixture';

let ws: Awaited<ReturnType<typeof makeWorkspace>>;
const managers: PreviewManager[] = [];
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.dispose()));
  await ws.cleanup();
});

const path = 'pipelines/release.weir.json';

function manager(idleMs?: number): PreviewManager {
  const m = new PreviewManager(testEngine(), { idleMs });
  managers.push(m);
  return m;
}

/** This process's preview scratch folders (other processes may be previewing too). */
const scratchFolders = () => (existsSync(scratchRoot()) ? readdirSync(scratchRoot()).filter((d) => d.startsWith(`preview-${processTag()}-`)) : []);

/** The sample pipeline with a node that runs until it is interrupted. */
function withSlowNode(): Pipeline {
  const p = samplePipeline();
  p.nodes.push({ id: 'slow', name: 'slow', kind: 'sql', inputs: ['lots'], config: { sql: ['select sum(hash(i, viability)) as h from lots, range(5000000000) t(i)'] } });
  return p;
}

async function sessionOf(m: PreviewManager, root: string) {
  const file = join(root, ...path.split('/'));
  return m.sessions.use(file, async (s) => s);
}

describe('the designer keeps one warm preview session per pipeline', () => {
  it('previews of the same file share a session that keeps what did not change', async () => {
    const m = manager();
    const first = await m.preview({ root: ws.root, path, pipeline: samplePipeline(), nodeId: 'passing' });
    expect(first.rows).toEqual([['B1', 91.5], ['B3', 88]]);
    expect(m.sessions.files).toEqual([join(ws.root, 'pipelines', 'release.weir.json')]);
    const again = await m.preview({ root: ws.root, path, pipeline: samplePipeline(), nodeId: 'out' });
    expect(again.rows).toEqual(first.rows);
    expect((await sessionOf(m, ws.root)).last).toEqual({ made: [], kept: ['lots', 'passing'] });
    const profile = await m.profile({ root: ws.root, path, pipeline: samplePipeline(), nodeId: 'passing' });
    expect(profile.rows).toBe(2);
    expect((await sessionOf(m, ws.root)).last.made).toEqual([]);
  });

  it('a new preview of the file cancels the preview in flight, and the profile in flight', async () => {
    const m = manager();
    const slow = withSlowNode();
    const previewing = m.preview({ root: ws.root, path, pipeline: slow, nodeId: 'slow' }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    const next = await m.preview({ root: ws.root, path, pipeline: slow, nodeId: 'passing' });
    expect(await previewing).toMatchObject({ kind: 'cancelled' });
    expect(next.rows).toHaveLength(2);
    const profiling = m.profile({ root: ws.root, path, pipeline: slow, nodeId: 'slow' }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    await m.preview({ root: ws.root, path, pipeline: slow, nodeId: 'lots' });
    expect(await profiling).toMatchObject({ kind: 'cancelled' });
  });

  it('closes a session after idle time, removing its scratch folder; the next preview opens another', async () => {
    const m = manager(100);
    const before = new Set(scratchFolders());
    await m.preview({ root: ws.root, path, pipeline: samplePipeline(), nodeId: 'passing' });
    const opened = scratchFolders().filter((d) => !before.has(d));
    expect(opened).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(m.sessions.files).toEqual([]);
    expect(scratchFolders()).not.toContain(opened[0]);
    const res = await m.preview({ root: ws.root, path, pipeline: samplePipeline(), nodeId: 'passing' });
    expect(res.rows).toHaveLength(2);
    expect((await sessionOf(m, ws.root)).last.made).toEqual(['lots', 'passing']);
  });

  it('opening another workspace closes the sessions of the one before; dispose closes the rest', async () => {
    const other = await makeWorkspace();
    try {
      const { service, call } = makeService(ws.home, { open: ws.root });
      const before = new Set(scratchFolders());
      await call('pipeline.preview', { root: ws.root, path, pipeline: samplePipeline(), nodeId: 'passing' });
      const first = scratchFolders().filter((d) => !before.has(d));
      expect(first).toHaveLength(1);
      await call('workspace.open', { root: other.root });
      expect(scratchFolders()).not.toContain(first[0]);
      await call('pipeline.preview', { root: other.root, path, pipeline: samplePipeline(), nodeId: 'passing' });
      const second = scratchFolders().filter((d) => !before.has(d));
      expect(second).toHaveLength(1);
      service.dispose();
      await expect.poll(() => scratchFolders().includes(second[0]!)).toBe(false);
    } finally {
      await other.cleanup();
    }
  });
});
