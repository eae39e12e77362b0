import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishPath, recoverStranded, stagingPath } from '../../../src-main/engine/storage/atomic-publish';
import { tempDir } from '../../support/temp-dir';

/** A partitioned output folder: one file per partition. */
function writeFolder(dir: string, parts: Record<string, string>): void {
  for (const [part, body] of Object.entries(parts)) {
    mkdirSync(join(dir, part), { recursive: true });
    writeFileSync(join(dir, part, 'data_0.csv'), body);
  }
}

const read = (target: string, part: string) => readFileSync(join(target, part, 'data_0.csv'), 'utf8');

/** The state a run killed between the two renames of publishPath leaves behind. */
async function killedInTheGap(target: string, runId: string): Promise<void> {
  const staged = stagingPath(target, runId);
  writeFolder(staged, { 'site=A': 'killed run\n' });
  await rename(target, `${staged}.old`); // the first rename happened, the second never did
}

describe('publishPath', () => {
  it('swaps a folder in and removes the old one', async () => {
    const root = tempDir();
    const target = join(root, 'out', 'by_site');
    writeFolder(target, { 'site=A': 'v1\n' });
    const staged = stagingPath(target, 'r2');
    writeFolder(staged, { 'site=B': 'v2\n' });
    await publishPath(staged, target);
    expect(readdirSync(target)).toEqual(['site=B']);
    expect(readdirSync(join(root, 'out'))).toEqual(['by_site']);
  });

  it('restores the previous folder left aside by a run killed between the renames, before publishing again', async () => {
    const root = tempDir();
    const target = join(root, 'out', 'by_site');
    writeFolder(target, { 'site=A': 'previous\n' });
    await killedInTheGap(target, '20260101T000000.000Z-aaaaaa');
    expect(existsSync(target)).toBe(false);

    // the next publish fails (its staged output is missing), yet the previous output is back
    await expect(publishPath(stagingPath(target, 'r3'), target)).rejects.toThrow();
    expect(read(target, 'site=A')).toBe('previous\n');
    // the killed run's aside and staging folders are gone
    expect(readdirSync(join(root, 'out'))).toEqual(['by_site']);

    // and a normal publish after that works
    const staged = stagingPath(target, 'r4');
    writeFolder(staged, { 'site=A': 'new\n' });
    await publishPath(staged, target);
    expect(read(target, 'site=A')).toBe('new\n');
    expect(readdirSync(join(root, 'out'))).toEqual(['by_site']);
  });

  it('recovers the newest stranded folder when several runs were killed in the gap', async () => {
    const root = tempDir();
    const target = join(root, 'by_site');
    writeFolder(`${stagingPath(target, '20260101T000000.000Z-aaaaaa')}.old`, { 'site=A': 'older\n' });
    writeFolder(`${stagingPath(target, '20260202T000000.000Z-bbbbbb')}.old`, { 'site=A': 'newer\n' });
    expect(await recoverStranded(target)).toBe(`${stagingPath(target, '20260202T000000.000Z-bbbbbb')}.old`);
    expect(read(target, 'site=A')).toBe('newer\n');
    // with the target present there is nothing to recover
    expect(await recoverStranded(target)).toBeNull();
    expect(read(target, 'site=A')).toBe('newer\n');
  });

  it('never promotes the unpublished staging folder of a run killed while writing', async () => {
    const root = tempDir();
    expect(await recoverStranded(join(root, 'never', 'written'))).toBeNull();
    const target = join(root, 'x');
    writeFolder(stagingPath(target, 'r1'), { 'site=A': 'half written\n' });
    expect(await recoverStranded(target)).toBeNull();
    expect(existsSync(target)).toBe(false);
  });
});
