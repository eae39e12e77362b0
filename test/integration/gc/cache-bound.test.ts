import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NodeCache } from '../../../src-main/engine/cache/node-cache';
import { cleanLitter, collectGarbage } from '../../support/engine';
import { hostTag, processTag } from '../../../src-main/engine/storage/owner-tag';
import { scratchRoot } from '../../../src-main/engine/sandbox/allowed-dirs';
import { newRunId } from '../../../src-main/engine/run/run-id';
import { FolderObjectStore } from '../../../src-main/engine/storage/folder-store';
import { ObjectCache, objectCacheDir } from '../../../src-main/engine/storage/object-cache';
import { findWorkspace } from '../../../src-main/engine/workspace/workspace';
import { testConnection } from '../../support/duckdb';
import { tempDir } from '../../support/temp-dir';

/**
 * The node and object caches are bounded: over the limit, entries go least recently used
 * first, and a lookup counts as a use. (Issue 13, "A clean house".)
 */

const HOUR = 3_600_000;
const key = (c: string) => c.repeat(64);

/** Dates every file of a cache entry `ageMs` ago, as if it had not been used since. */
function lastUsed(dir: string, prefix: string, ageMs: number): void {
  const t = new Date(Date.now() - ageMs);
  for (const n of readdirSync(dir).filter((f) => f.startsWith(prefix))) utimesSync(join(dir, n), t, t);
}

function entryBytes(dir: string, prefix: string): number {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

async function filledCache() {
  const ws = tempDir('weir-gc-cache-');
  writeFileSync(join(ws, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, environments: {} }));
  const dir = join(ws, '.weir', 'cache', 'nodes');
  const cache = new NodeCache(dir);
  const conn = await testConnection();
  await conn.run('CREATE OR REPLACE TABLE gc_rows AS SELECT i, md5(i::varchar) AS h FROM range(20000) t(i)');
  const keys = ['1', '2', '3', '4'].map(key);
  for (const k of keys) await cache.store(conn, 'gc_rows', { key: k, rows: 20000, outputHash: 'h' });
  // A downloaded lake object, used longest ago of all.
  const lake = join(ws, 'lake');
  mkdirSync(lake);
  writeFileSync(join(lake, 'a.csv'), 'x\n1\n');
  const store = new FolderObjectStore('lake', lake);
  const objects = new ObjectCache(objectCacheDir(ws));
  const info = { key: 'a.csv', size: 4, etag: '"e1"' };
  const fetched = await objects.fetch(store, info);
  const objectDir = join(fetched.path, '..');
  const objectId = objects.id(store, info);
  lastUsed(objectDir, objectId, 5 * HOUR);
  keys.forEach((k, i) => lastUsed(dir, k, (4 - i) * HOUR)); // key 1 is the oldest
  return { ws, dir, cache, keys, objects, store, info, objectDir, objectId };
}

describe('the cache bound', () => {
  // A run's start also looks at scratch and spill folders under the temp folder: this file's own.
  let savedTmp: string | undefined;
  beforeAll(() => {
    savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = tempDir('weir-gc-cache-tmp-');
  });
  afterAll(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  });
  afterEach(() => {
    delete process.env.WEIR_CACHE_MAX_SIZE;
  });

  it('evicts least recently used entries first, a lookup counting as a use', async () => {
    const c = await filledCache();
    const [k1, k2, k3, k4] = c.keys as [string, string, string, string];
    // Used now: the oldest stored entry becomes the newest used.
    expect(await c.cache.lookup(k1)).not.toBeNull();
    const bound = entryBytes(c.dir, k1) + entryBytes(c.dir, k4);

    const dry = await collectGarbage(findWorkspace(c.ws), { cacheMaxBytes: bound, dryRun: true });
    const order = dry.items.filter((i) => i.kind === 'cache-entry').map((i) => i.what);
    expect(order).toEqual([expect.stringContaining(c.objectId), join(c.dir, `${k2}.parquet`), join(c.dir, `${k3}.parquet`)]);
    expect(await c.cache.lookup(k2)).not.toBeNull(); // nothing evicted by a dry run (and k2 is now used)

    const done = await collectGarbage(findWorkspace(c.ws), { cacheMaxBytes: bound });
    // k2 was just used by the lookup above: now k3 and k4 are the least recently used.
    expect(done.items.filter((i) => i.kind === 'cache-entry').map((i) => i.what)).toEqual([expect.stringContaining(c.objectId), join(c.dir, `${k3}.parquet`), join(c.dir, `${k4}.parquet`)]);
    expect(done.cache.afterBytes).toBeLessThanOrEqual(bound);
    expect([await c.cache.lookup(k1), await c.cache.lookup(k2), await c.cache.lookup(k3), await c.cache.lookup(k4)].map(Boolean)).toEqual([true, true, false, false]);
    expect(await c.objects.lookup(c.store, c.info)).toBeNull();
    expect(readdirSync(c.dir).sort()).toEqual([`${k1}.json`, `${k1}.parquet`, `${k2}.json`, `${k2}.parquet`]);
  });

  it("is kept by a run's start when the caches are over WEIR_CACHE_MAX_SIZE, sparing what was used in the last minutes", async () => {
    const c = await filledCache();
    const [k1, , , k4] = c.keys as [string, string, string, string];
    expect(await c.cache.lookup(k4)).not.toBeNull(); // just used: another run may be reading it
    process.env.WEIR_CACHE_MAX_SIZE = '1';
    const report = await cleanLitter(findWorkspace(c.ws), newRunId());
    expect(report.items.filter((i) => i.kind === 'cache-entry')).toHaveLength(4); // the object and k1..k3
    expect(readdirSync(c.dir).sort()).toEqual([`${k4}.json`, `${k4}.parquet`]);
    expect(await c.cache.lookup(k1)).toBeNull();

    // Under the bound nothing goes.
    process.env.WEIR_CACHE_MAX_SIZE = '10GB';
    expect((await cleanLitter(findWorkspace(c.ws), newRunId())).items).toEqual([]);
    expect(await c.cache.lookup(k4)).not.toBeNull();
  });

  it('spares, while a run lives, every entry used since that run started (a long run may still read it)', async () => {
    const c = await filledCache();
    const [k1, k2, k3, k4] = c.keys as [string, string, string, string];
    // A run of this process started 150 minutes ago, its session still open: it may have looked up k3 and k4 (2 h and 1 h ago).
    const live = newRunId(new Date(Date.now() - 150 * 60_000));
    mkdirSync(join(c.ws, '.weir/live'), { recursive: true });
    writeFileSync(join(c.ws, '.weir/live', `${live}.json`), JSON.stringify({ runId: live, host: hostTag(), pid: process.pid, scratchRoot: scratchRoot(), startedAt: new Date(Date.now() - 150 * 60_000).toISOString() }));
    const session = join(scratchRoot(), `${live}-${processTag()}-abcdef`);
    mkdirSync(session, { recursive: true });

    const whileLive = await collectGarbage(findWorkspace(c.ws), { cacheMaxBytes: 0 });
    expect(whileLive.items.map((i) => i.what)).toEqual([expect.stringContaining(c.objectId), join(c.dir, `${k1}.parquet`), join(c.dir, `${k2}.parquet`)]);
    expect(whileLive.cache.keptRecent).toBe(2);

    rmSync(session, { recursive: true }); // the run's session ended
    const after = await collectGarbage(findWorkspace(c.ws), { cacheMaxBytes: 0 });
    expect(after.items.map((i) => i.what)).toEqual([join(c.dir, `${k3}.parquet`), join(c.dir, `${k4}.parquet`)]);
    expect(readdirSync(c.dir)).toEqual([]);
  });
});
