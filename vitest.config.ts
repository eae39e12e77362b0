import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/support/file-order';
import { ISOLATED_UNIT_FILES } from './test/support/isolated-unit-files';
import RecordFileTimes from './test/support/record-file-times';

// Three tiers, run in this order by `vitest run` (npm test), or one at a time with
// `npm run test:unit | test:integration | test:e2e` (README, "Tests").
//
// vitest's default is one worker fewer than the cores: a single worker on the 2-core
// machines this runs on, so every file waited for the one before. The integration and e2e
// files mostly wait (on servers, child processes, Chromium), so they get more workers than
// cores; the unit files compute, so they get one per core, and share their imports
// (isolate: false; see test/support/isolated-unit-files.ts for the files that may not).
export default defineConfig({
  test: {
    // Integration tests start real servers (PostgreSQL, S3, Chromium): give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', ...(process.env.WEIR_RECORD_FILE_TIMES === '1' ? [new RecordFileTimes()] : [])],
    // Longest file first within each tier, by the times in test/support/file-times.json.
    sequence: { sequencer: LongestFirstSequencer },
    setupFiles: ['test/support/remove-temp-dirs.ts'],
    // expect.poll's default of 1 s is shorter than a UI round trip on a loaded 2-core machine
    // (an e2e git restore's mark took longer in a full run); a poll that never holds still fails.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        // No servers, no builds, no CLI processes: the inner loop, under a minute on 2 cores.
        // The CLI's code cache off here: a unit test that started the CLI would leave one in ~/.cache/weir
        // (the other tiers give it a folder of the run's own: test/support/code-cache-home.ts).
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], exclude: ISOLATED_UNIT_FILES, isolate: false, maxWorkers: 2, sequence: { groupOrder: 0 }, env: { WEIR_CODE_CACHE: 'off' } },
      },
      {
        extends: true,
        test: { name: 'unit-isolated', include: ISOLATED_UNIT_FILES, maxWorkers: 2, sequence: { groupOrder: 0 }, env: { WEIR_CODE_CACHE: 'off' } },
      },
      {
        extends: true,
        // Real DuckDB, the CLI in child processes, builds; one PostgreSQL cluster and one
        // s3rver for the whole tier (a database or bucket per file), and the working tree's
        // CLI bundled once.
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-servers.ts', 'test/support/source-cli.ts', 'test/support/code-cache-home.ts'],
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        // A real Chromium against `weir serve`: one Chromium for the tier (a context per file)
        // and the working tree's CLI bundled once, as for the integration tier.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/source-cli.ts', 'test/support/code-cache-home.ts', 'test/e2e/support/global-setup.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
