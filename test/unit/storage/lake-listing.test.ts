import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderObjectStore } from '../../../src-main/engine/storage/folder-store';
import { serializeManifest, type LakeManifest } from '../../../src-main/engine/storage/lake-manifest';
import { visibleObjects } from '../../../src-main/engine/storage/lake-listing';
import { tempDir } from '../../support/temp-dir';

function put(root: string, key: string, body: string | Buffer = 'x') {
  const p = join(root, ...key.split('/'));
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, body);
}

function manifest(files: { key: string; path: string }[]): Buffer {
  const m: LakeManifest = {
    format: 'weir.lake.manifest',
    version: 1,
    run_id: 'r2',
    written_at: '2026-01-01T00:00:00Z',
    file_format: 'parquet',
    partition_by: ['site'],
    mode: 'overwrite',
    rows: 2,
    files: files.map((f) => ({ ...f, size: 1, etag: '"e"', run_id: 'r2' })),
    superseded: [],
  };
  return serializeManifest(m);
}

describe('visibleObjects', () => {
  it('skips _ and . names, and follows manifests instead of listing run folders', async () => {
    const root = tempDir('weir-listing-');
    put(root, 'lake/raw/a.csv');
    put(root, 'lake/raw/.hidden.csv');
    put(root, 'lake/raw/_SUCCESS');
    put(root, 'lake/curated/out/_runs/r1/site=A/data_0.parquet');
    put(root, 'lake/curated/out/_runs/r2/site=A/data_0.parquet');
    put(root, 'lake/curated/out/_runs/r2/site=B/data_0.parquet');
    put(root, 'lake/curated/out/_manifest.json', manifest([
      { key: '_runs/r2/site=A/data_0.parquet', path: 'site=A/data_0.parquet' },
      { key: '_runs/r2/site=B/data_0.parquet', path: 'site=B/data_0.parquet' },
    ]));
    const store = new FolderObjectStore('lake', join(root, 'lake'));
    const all = await visibleObjects(store, '');
    expect(all.map((o) => [o.path, o.info.key])).toEqual([
      ['curated/out/site=A/data_0.parquet', 'curated/out/_runs/r2/site=A/data_0.parquet'],
      ['curated/out/site=B/data_0.parquet', 'curated/out/_runs/r2/site=B/data_0.parquet'],
      ['raw/a.csv', 'raw/a.csv'],
    ]);
    const out = await visibleObjects(store, 'curated/out/');
    expect(out.map((o) => o.path)).toEqual(['site=A/data_0.parquet', 'site=B/data_0.parquet']);
  });

  it('fails naming the connection when a manifest names a missing object', async () => {
    const root = tempDir('weir-listing-');
    put(root, 'out/_manifest.json', manifest([{ key: '_runs/r2/data_0.parquet', path: 'data_0.parquet' }]));
    const store = new FolderObjectStore('lake', root);
    await expect(visibleObjects(store, 'out/')).rejects.toThrow('connection "lake": out/_manifest.json names "out/_runs/r2/data_0.parquet", which does not exist');
  });
});
