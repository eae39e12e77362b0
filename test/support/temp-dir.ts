import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every folder made by tempDir() in the current test file. vitest drops an afterAll
// registered from inside an `it` or a `beforeAll`, and the unit tier does not re-import
// modules for each file (isolate: false), so the hook that removes them is registered by a
// setup file (remove-temp-dirs.ts), which vitest runs before every test file: registered
// first, it runs after the file's own afterAll hooks (servers closed first).
const created: string[] = [];

/** A temp folder removed after the file's tests. */
export function tempDir(prefix = 'weir-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes the folders tempDir() made since the last call. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
