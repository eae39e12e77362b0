import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes a file by rename from a sibling temporary file, so a crash never leaves half a file. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileThrough(path, text, join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`));
}

/** Writes `text` to `tmp`, then renames it to `path` (on one file system: in one step); `tmp` is removed on failure. */
export async function writeFileThrough(path: string, text: string, tmp: string): Promise<void> {
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
