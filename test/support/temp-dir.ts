import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temp folder removed after the file's tests. */
export function tempDir(prefix = 'weir-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A private copy of a folder (a template workspace), removed after the file's tests. */
export function copyToTemp(src: string, prefix = 'weir-ws-'): string {
  const dir = tempDir(prefix);
  cpSync(src, dir, { recursive: true, filter: (p) => !p.includes(`${'/'}.weir`) });
  return dir;
}
