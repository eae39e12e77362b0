import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WeirError } from '../../../shared/errors';
import { FolderObjectStore } from '../../../src-main/engine/storage/folder-store';
import { PreconditionFailed } from '../../../src-main/engine/storage/object-store';
import { tempDir } from '../../support/temp-dir';

describe('FolderObjectStore', () => {
  it('lists files under a prefix as keys with /', async () => {
    const root = tempDir('weir-folder-');
    mkdirSync(join(root, 'raw', 'site=A'), { recursive: true });
    writeFileSync(join(root, 'raw', 'a.csv'), 'x\n');
    writeFileSync(join(root, 'raw', 'site=A', 'b.csv'), 'y\n');
    writeFileSync(join(root, 'rawish.csv'), 'z\n');
    const store = new FolderObjectStore('lake', root);
    expect((await store.list('raw/')).map((o) => o.key)).toEqual(['raw/a.csv', 'raw/site=A/b.csv']);
    expect((await store.list('raw')).map((o) => o.key)).toEqual(['raw/a.csv', 'raw/site=A/b.csv', 'rawish.csv']);
    expect((await store.list('nothing/'))).toEqual([]);
    expect(store.uri('raw/a.csv')).toBe(`file://${root}/raw/a.csv`);
  });

  it('writes by rename, reads back, deletes and tidies empty folders', async () => {
    const root = tempDir('weir-folder-');
    const store = new FolderObjectStore('lake', root);
    const src = join(root, 'src.bin');
    writeFileSync(src, 'payload');
    await store.putFile('out/_runs/r1/data_0.parquet', src);
    await store.putBytes('out/_manifest.json', Buffer.from('{}'));
    expect((await store.getBytes('out/_manifest.json'))?.body.toString()).toBe('{}');
    expect(await store.getBytes('out/none.json')).toBeNull();
    expect(readdirSync(join(root, 'out')).sort()).toEqual(['_manifest.json', '_runs']);
    await store.delete(['out/_runs/r1/data_0.parquet']);
    expect(existsSync(join(root, 'out', '_runs'))).toBe(false);
  });

  it('refuses keys outside the folder and names the connection for a missing folder', async () => {
    const root = tempDir('weir-folder-');
    const store = new FolderObjectStore('lake', root);
    expect(() => store.localPath('../etc/passwd')).toThrow(WeirError);
    const missing = new FolderObjectStore('lake', join(root, 'nope'));
    await expect(missing.list('')).rejects.toThrow(`connection "lake": folder "${join(root, 'nope')}" does not exist`);
  });

  it('writes conditionally: If-None-Match for a new file, If-Match on the ETag last seen', async () => {
    const root = tempDir('weir-folder-');
    const store = new FolderObjectStore('lake', root);
    const first = await store.putBytes('out/_manifest.json', Buffer.from('{"v":1}'), { ifMatch: null });
    await expect(store.putBytes('out/_manifest.json', Buffer.from('{"v":9}'), { ifMatch: null })).rejects.toThrow(PreconditionFailed);
    await expect(store.putBytes('out/_manifest.json', Buffer.from('{"v":9}'), { ifMatch: '"0-0"' })).rejects.toThrow(
      'connection "lake": object "out/_manifest.json" was changed by another writer',
    );
    await store.putBytes('out/_manifest.json', Buffer.from('{"v":22}'), { ifMatch: first.etag });
    expect((await store.getBytes('out/_manifest.json'))?.body.toString()).toBe('{"v":22}');
    // A refused write leaves no temporary file behind.
    expect(readdirSync(join(root, 'out'))).toEqual(['_manifest.json']);
  });

  it('lists half-written temporary files and modification times only when asked', async () => {
    const root = tempDir('weir-folder-');
    mkdirSync(join(root, 'out'), { recursive: true });
    writeFileSync(join(root, 'out', 'data.csv'), 'x\n');
    writeFileSync(join(root, 'out', '_manifest.json.weir-tmp-0badcafe'), '{');
    const store = new FolderObjectStore('lake', root);
    expect((await store.list('out/')).map((o) => o.key)).toEqual(['out/data.csv']);
    const all = await store.list('out/', { partial: true });
    expect(all.map((o) => o.key)).toEqual(['out/_manifest.json.weir-tmp-0badcafe', 'out/data.csv']);
    expect(Math.abs(all[0]!.modifiedMs! - Date.now())).toBeLessThan(60_000);
  });
});
