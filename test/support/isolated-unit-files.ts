/**
 * The unit tier runs its files without isolation (one module graph per worker, vitest's
 * `isolate: false`): re-importing the engine for each of ~90 files cost two thirds of the
 * tier's CPU. Files that change modules or globals for the files after them (vi.mock,
 * vi.doMock, fake timers, stubbed globals or environment, vi.resetModules) run isolated
 * instead, in the `unit-isolated` project; test/unit/test-tiers.test.ts fails when such a
 * file is missing here.
 */
export const ISOLATED_UNIT_FILES = [
  'test/unit/renderer/autosave.test.ts',
  'test/unit/renderer/connection-form.test.ts',
  'test/unit/renderer/doc-store.test.ts',
  'test/unit/renderer/engine-problems.test.ts',
];
