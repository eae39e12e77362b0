import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// Every folder made by tempDir() in this test file. vitest drops an afterAll registered
// from inside an `it` or a `beforeAll`, so one hook is registered here, at module load:
// vitest re-imports this module for each test file (isolation), so it runs per file, and
// being registered first it runs after the file's own afterAll hooks (servers closed first).
const created: string[] = [];

afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder removed after the file's tests. */
export function tempDir(prefix = 'weir-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}
