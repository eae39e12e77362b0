import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LakeSinkConfig } from '../../../shared/nodes/lake-sink';
import { commitLakeOutput, discardLakeOutput, stageLakeOutput } from '../../../src-main/engine/nodes/lake-sink/publish';
import { fileSha256 } from '../../../src-main/engine/storage/file-hash';
import { FolderObjectStore } from '../../../src-main/engine/storage/folder-store';
import { readManifest } from '../../../src-main/engine/storage/lake-manifest';
import { visibleObjects } from '../../../src-main/engine/storage/lake-listing';
import { tempDir } from '../../support/temp-dir';
import { query, sqlString } from './support';

describe('stage and commit on a folder lake', () => {
  const root = tempDir('weir-folder-commit-');
  mkdirSync(join(root, 'lake'));
  const store = new FolderObjectStore('lake', join(root, 'lake'));
  let n = 0;

  async function stage(runId: string, rows: number, mode: LakeSinkConfig['mode'], keep_previous = 1) {
    const path = join(root, `local-${++n}.parquet`);
    await query(`COPY (SELECT i FROM range(${rows}) t(i)) TO ${sqlString(path)} (FORMAT parquet)`);
    const { sha256, size } = await fileSha256(path);
    const config: LakeSinkConfig = { connection: 'lake', path: 'out', format: 'parquet', partition_by: [], order_by: [], mode, keep_previous };
    return stageLakeOutput({ store, dir: 'out/', runId, nodeName: 'out', config, files: [{ rel: 'data_0.parquet', path, size, sha256 }], rows, signal: new AbortController().signal, warn: () => {} });
  }

  const rowsVisible = async () => {
    const files = (await visibleObjects(store, 'out/')).map((o) => sqlString(store.localPath(o.info.key)));
    return Number((await query(`SELECT count(*) AS n FROM read_parquet([${files.join(', ')}])`))[0]!.n);
  };

  it('publishes, appends, refuses a race, and deletes superseded files past keep_previous', async () => {
    const staged = await stage('r1', 3, 'overwrite');
    expect(existsSync(join(root, 'lake', 'out', '_manifest.json'))).toBe(false); // nothing visible yet
    expect(await commitLakeOutput(staged)).toMatchObject({ published: true, thenCancelled: false });
    expect(await rowsVisible()).toBe(3);

    await commitLakeOutput(await stage('r2', 4, 'append'));
    expect(await rowsVisible()).toBe(7);

    // Two runs staged from the same manifest: the second to commit is refused and discards.
    const a = await stage('r3', 5, 'overwrite', 0);
    const b = await stage('r4', 6, 'overwrite', 0);
    await commitLakeOutput(a);
    await expect(commitLakeOutput(b)).rejects.toThrow('/out/_manifest.json was changed by another run while this one was writing; nothing was published, run again');
    await discardLakeOutput(b);
    expect(existsSync(join(root, 'lake', 'out', '_runs', 'r4'))).toBe(false);
    expect((await readManifest(store, 'out/'))!.manifest.run_id).toBe('r3');
    expect(await rowsVisible()).toBe(5);
    // keep_previous 0: r1's and r2's files went with the overwrite.
    expect(existsSync(join(root, 'lake', 'out', '_runs', 'r1'))).toBe(false);
    expect(existsSync(join(root, 'lake', 'out', '_runs', 'r2'))).toBe(false);
  });

  it('discarding a committed output is a no-op, and it cannot be committed twice', async () => {
    const staged = await stage('r5', 2, 'overwrite');
    await commitLakeOutput(staged);
    await discardLakeOutput(staged);
    expect(await rowsVisible()).toBe(2);
    await expect(commitLakeOutput(staged)).rejects.toThrow(/is committed, not staged/);
  });
});
