/**
 * A global setup of the tiers that start the CLI (vitest.config.ts): the CLI's V8 code cache
 * (src-main/cli/launch.ts, README "Configuration") goes to a private folder of this test run,
 * removed at its end. So the suite's hundreds of CLI processes start as a user's do, from the
 * cache (about 0.1 to 0.2 s of compiling each on these machines), and leave no cache in the
 * user's ~/.cache/weir (one per command per build). code-cache.test.ts points its own runs elsewhere.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Both tiers' setups share the folder; the last teardown removes it. Kept in the main process's
 * environment, not in this module: vitest may load a setup file once per project.
 */
export default function setup(): () => void {
  // mkdtemp makes it 0700: the launcher uses a cache folder only when it is private.
  const home = (process.env.WEIR_TEST_CACHE_HOME ??= mkdtempSync(join(tmpdir(), 'weir-test-cache-')));
  process.env.XDG_CACHE_HOME = home;
  process.env.WEIR_TEST_CACHE_USERS = String(Number(process.env.WEIR_TEST_CACHE_USERS ?? 0) + 1);
  return () => {
    const left = Number(process.env.WEIR_TEST_CACHE_USERS) - 1;
    process.env.WEIR_TEST_CACHE_USERS = String(left);
    if (left > 0) return;
    rmSync(home, { recursive: true, force: true });
    delete process.env.WEIR_TEST_CACHE_HOME;
    delete process.env.WEIR_TEST_CACHE_USERS;
    delete process.env.XDG_CACHE_HOME;
  };
}
