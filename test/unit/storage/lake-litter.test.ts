import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderObjectStore } from '../../../src-main/engine/storage/folder-store';
import { lakeLitter, removeLakeLitter } from '../../../src-main/engine/storage/lake-litter';
import { visibleObjects } from '../../../src-main/engine/storage/lake-listing';
import { manifest } from '../../support/litter-manifest';
import { tempDir } from '../../support/temp-dir';

const HOUR = 3_600_000;

/** Writes a file under the folder lake, dated `ageMs` ago. */
function put(root: string, key: string, ageMs: number, body: string | Buffer = 'x') {
  const p = join(root, ...key.split('/'));
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, body);
  const t = new Date(Date.now() - ageMs);
  utimesSync(p, t, t);
}

describe('lake litter on a folder lake', () => {
  function lake() {
    const root = tempDir('weir-litter-');
    put(root, 'out/_manifest.json', 2 * HOUR, manifest(['_runs/r2/data_0.parquet'], ['_runs/r1/data_0.parquet']));
    put(root, 'out/_runs/r1/data_0.parquet', 3 * HOUR); // superseded, kept for readers
    put(root, 'out/_runs/r2/data_0.parquet', 2 * HOUR); // live
    put(root, 'out/_runs/r2/stray.parquet', 2 * HOUR); // named by nothing
    put(root, 'out/_runs/r0/data_0.parquet', 5 * HOUR); // a killed run
    put(root, 'out/_runs/r0/site=A/data_0.parquet.weir-tmp-deadbeef', 5 * HOUR); // its half-written file
    put(root, 'out/_runs/cur/data_0.parquet', 2 * HOUR); // the current run: never touched
    put(root, 'out/_runs/r3/old.parquet', 2 * HOUR); // a run still uploading: its newest file is recent
    put(root, 'out/_runs/r3/new.parquet', 60_000);
    put(root, 'out/_manifest.json.weir-tmp-0badcafe', 2 * HOUR); // a manifest write killed half-way
    return { root, store: new FolderObjectStore('lake', root) };
  }

  it('lists objects no manifest names, older than the grace period, outside the current run', async () => {
    const { store } = lake();
    const litter = await lakeLitter(store, 'out/', { exceptRunIds: ['cur'] });
    expect(litter.objects.map((o) => o.key)).toEqual([
      'out/_manifest.json.weir-tmp-0badcafe',
      'out/_runs/r0/data_0.parquet',
      'out/_runs/r0/site=A/data_0.parquet.weir-tmp-deadbeef',
      'out/_runs/r2/stray.parquet',
    ]);
    expect(litter.bytes).toBe(4);
    expect(litter.uploads).toEqual([]);
    expect(litter.notes).toEqual([]);
    // A longer grace period keeps everything younger than it.
    expect((await lakeLitter(store, 'out/', { olderThanMs: 3 * HOUR, exceptRunIds: ['cur'] })).objects.map((o) => o.key)).toEqual([
      'out/_runs/r0/data_0.parquet',
      'out/_runs/r0/site=A/data_0.parquet.weir-tmp-deadbeef',
    ]);
  });

  it('removes it, and what readers see is unchanged', async () => {
    const { root, store } = lake();
    const before = await visibleObjects(store, 'out/');
    const done = await removeLakeLitter(store, 'out/', { exceptRunIds: ['cur'] });
    expect(done.removed).toHaveLength(4);
    expect(done.bytes).toBe(4);
    expect(existsSync(join(root, 'out', '_runs', 'r0'))).toBe(false);
    for (const kept of ['r1/data_0.parquet', 'r2/data_0.parquet', 'cur/data_0.parquet', 'r3/old.parquet', 'r3/new.parquet']) {
      expect(existsSync(join(root, 'out', '_runs', ...kept.split('/')))).toBe(true);
    }
    expect(await visibleObjects(store, 'out/')).toEqual(before);
    expect((await lakeLitter(store, 'out/', { exceptRunIds: ['cur'] })).objects).toEqual([]);
  });

  it('keeps what a manifest published after the listing names', async () => {
    const { root, store } = lake();
    const litter = await lakeLitter(store, 'out/', { exceptRunIds: ['cur'] });
    put(root, 'out/_manifest.json', 0, manifest(['_runs/r0/data_0.parquet'], ['_runs/r2/data_0.parquet']));
    const done = await removeLakeLitter(store, 'out/', { exceptRunIds: ['cur'], litter });
    expect(done.removed.map((o) => o.key)).not.toContain('out/_runs/r0/data_0.parquet');
    expect(existsSync(join(root, 'out', '_runs', 'r0', 'data_0.parquet'))).toBe(true);
  });

  it('lists nothing when the manifest cannot be read: what is live is unknown', async () => {
    const { root, store } = lake();
    put(root, 'out/_manifest.json', 0, '{ not json');
    await expect(lakeLitter(store, 'out/')).rejects.toThrow('out/_manifest.json is not valid JSON');
  });

  it('counts every old run folder as litter where nothing was ever published', async () => {
    const root = tempDir('weir-litter-');
    put(root, 'out/_runs/k1/data_0.parquet', 2 * HOUR);
    const store = new FolderObjectStore('lake', root);
    expect((await lakeLitter(store, 'out/')).objects.map((o) => o.key)).toEqual(['out/_runs/k1/data_0.parquet']);
  });
});
