import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, rename, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export const SAMPLE_TEMPLATE = 'cgt-batch-release';

/**
 * The sample workspace: a copy of the CGT batch release template in the designer's home,
 * made on first use so that the user's edits never touch the template itself.
 * Returns null when this installation has no template to copy.
 */
export async function ensureSampleWorkspace(home: string, templatesDir: string | null): Promise<string | null> {
  const target = join(home, 'sample-workspace');
  if (existsSync(target)) return target;
  const source = templatesDir ? join(templatesDir, SAMPLE_TEMPLATE) : null;
  if (!source || !existsSync(source)) return null;
  const staging = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    // Copy, then rename: a crash mid-copy must not leave a half sample that looks complete.
    // A template's own run records and drafts (.weir/) are not part of the sample.
    await cp(source, staging, { recursive: true, filter: (src) => !relative(source, src).split(sep).includes('.weir') });
    await rename(staging, target);
  } catch (e) {
    // Another start (a second window, a second server) made it first: use theirs.
    if (!existsSync(target)) throw e;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return target;
}
