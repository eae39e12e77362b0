import { mkdirSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RACY_MS, watchFiles } from '../../../src-main/engine/nodes/file-source/watch';
import { filesUnder } from '../../support/find-files';
import { tempDir } from '../../support/temp-dir';

/** Matches like the engine's glob for these patterns: every file under `dir` whose path fits. */
const matcher = (dir: string, fits: RegExp) => async () =>
  filesUnder(dir)
    .map((f) => join(dir, f))
    .filter((f) => fits.test(f))
    .sort();

/** Sets the modification time of paths a minute back, as if written long ago (writes within a clock tick keep their times). */
const age = (...paths: string[]) => {
  const past = new Date(Date.now() - 60_000);
  for (const p of paths) utimesSync(p, past, past);
};

describe("a file source's watch (what lets a warm preview keep a source)", () => {
  it('holds while nothing changes; a file rewritten with the same size, added, removed or renamed breaks it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'raw', 'site=A'), { recursive: true });
    mkdirSync(join(dir, 'raw', 'site=B'), { recursive: true });
    writeFileSync(join(dir, 'raw', 'site=A', 'x.csv'), 'a\n1\n');
    const pattern = `${dir}/raw/*/*.csv`;
    const match = matcher(join(dir, 'raw'), /\/raw\/[^/]+\/[^/]+\.csv$/);
    const fresh = () => {
      age(join(dir, 'raw'), join(dir, 'raw', 'site=A'), join(dir, 'raw', 'site=B'), ...filesUnder(dir).map((f) => join(dir, f)));
      return watchFiles(pattern, match);
    };

    let w = await fresh();
    expect(await w.unchanged()).toBe(true);
    // Same size, other bytes.
    writeFileSync(join(dir, 'raw', 'site=A', 'x.csv'), 'a\n2\n');
    expect(await w.unchanged()).toBe(false);

    w = await fresh();
    // A new file in a folder that had none matching: that folder is watched too.
    writeFileSync(join(dir, 'raw', 'site=B', 'y.csv'), 'a\n3\n');
    expect(await w.unchanged()).toBe(false);

    w = await fresh();
    mkdirSync(join(dir, 'raw', 'site=C'));
    expect(await w.unchanged()).toBe(false);

    w = await fresh();
    renameSync(join(dir, 'raw', 'site=B', 'y.csv'), join(dir, 'raw', 'site=B', 'y.txt'));
    expect(await w.unchanged()).toBe(false);

    w = await fresh();
    rmSync(join(dir, 'raw', 'site=A', 'x.csv'));
    expect(await w.unchanged()).toBe(false);
  });

  it('a pattern with ** watches every folder below its base; a symbolic link swapped for a file breaks it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'd', 'e', 'f'), { recursive: true });
    writeFileSync(join(dir, 'd', 'top.csv'), 'a\n1\n');
    writeFileSync(join(dir, 'other.csv'), 'a\n1\n');
    const match = matcher(join(dir, 'd'), /\.csv$/);
    age(join(dir, 'd'), join(dir, 'd', 'e'), join(dir, 'd', 'e', 'f'), join(dir, 'd', 'top.csv'));
    let w = await watchFiles(`${dir}/d/**/*.csv`, match);
    expect(await w.unchanged()).toBe(true);
    writeFileSync(join(dir, 'd', 'e', 'f', 'deep.csv'), 'a\n9\n');
    expect(await w.unchanged()).toBe(false);

    const file = join(dir, 'one.csv');
    writeFileSync(file, 'a\n1\n');
    age(dir, file);
    w = await watchFiles(file, async () => [file]);
    expect(await w.unchanged()).toBe(true);
    rmSync(file);
    symlinkSync(join(dir, 'other.csv'), file);
    expect(await w.unchanged()).toBe(false);
  });

  it('cannot vouch for a file written just before it was taken: it says "changed" until a later watch', async () => {
    const dir = tempDir();
    const file = join(dir, 'x.csv');
    writeFileSync(file, 'a\n1\n');
    const recent = await watchFiles(file, async () => [file]);
    expect(await recent.unchanged()).toBe(false);
    // The same file, written longer ago than a clock tick could hide.
    expect(await (await watchFiles(file, async () => [file], 0)).unchanged()).toBe(true);
    expect(RACY_MS).toBeGreaterThanOrEqual(2_000);
  });
});
