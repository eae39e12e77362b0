/**
 * The integration tier's global setup (vitest.config.ts) for tests of the working tree's CLI
 * (`runWeir(..., { fromSource: true })`, the killed-run tests' startCli): it bundles
 * src-main/cli once per run, as `npm run build:cli` does, and hands the bundle to the test
 * processes in WEIR_TEST_SOURCE_BIN. Each CLI process through tsx compiled the CLI's module
 * graph again: about 2 s of CPU per command, three times the bundle's.
 *
 * The bundle goes in out/test-cli/ inside the repository, where the committed one sits in
 * bin/: what the CLI finds above its own script (the renderer, the templates) stays the same.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
// @ts-expect-error: a plain .mjs build script without type declarations
import { cliBuildOptions } from '../../scripts/build-cli.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

export default async function setup(): Promise<() => void> {
  if (process.env.WEIR_TEST_SOURCE_BIN) return () => undefined; // given by the caller
  const dir = join(REPO, 'out', 'test-cli');
  mkdirSync(dir, { recursive: true });
  // A name of this run's own: other runs may share the working tree.
  const file = join(dir, `weir-${process.pid}-${Date.now()}.cjs`);
  await build(cliBuildOptions(file));
  process.env.WEIR_TEST_SOURCE_BIN = file;
  return () => {
    rmSync(file, { force: true });
    delete process.env.WEIR_TEST_SOURCE_BIN;
  };
}
