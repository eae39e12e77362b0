// The script's command line, in child processes through tsx; the generator itself is tested
// in process by test/unit/sample/generate-cgt.test.ts.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp-dir';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('scripts/generate-cgt.ts', () => {
  const tsx = join(ROOT, 'node_modules/.bin/tsx');
  const script = join(ROOT, 'scripts/generate-cgt.ts');

  it('writes the files and prints their row counts', async () => {
    const out = tempDir();
    const { stdout } = await promisify(execFile)(tsx, [script, out, '--batches', '6', '--readings', '60', '--assays', '36', '--seed', '3', '--format', 'csv']);
    expect(stdout).toContain('batches.csv\t6 rows');
    expect(stdout).toContain('bioreactor/site=SGP/readings.csv\t20 rows');
  });

  it('exits 2 on bad arguments', async () => {
    const err = await promisify(execFile)(tsx, [script, '--batches', 'many']).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toMatch(/--batches: expected a whole number/);
  });
});
