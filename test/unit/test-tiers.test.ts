// The unit tier's two promises (vitest.config.ts): it starts nothing heavy, and the files
// that share one module graph (isolate: false) leave nothing behind for the next file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ISOLATED_UNIT_FILES } from '../support/isolated-unit-files';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith('.test.ts') ? [relative(REPO, path)] : [];
  });
}

const unitFiles = testFiles(join(REPO, 'test/unit'));
/** This file names the patterns it looks for: it is the one file allowed to. */
const SELF = 'test/unit/test-tiers.test.ts';
const source = (file: string) => readFileSync(join(REPO, file), 'utf8');

/** What belongs in test/integration (servers, builds, CLI processes), and why. */
const HEAVY: [RegExp, string][] = [
  [/\bstartPostgres\(|\bpostgresDatabase\(/, 'a PostgreSQL server'],
  [/\bstartS3Server\(|\bsharedS3\(/, 'an S3 server'],
  [/\brunWeir\(|\bstartServe\(|\bstartCli\(/, 'the CLI in a child process'],
  [/['"]--import['"],\s*['"]tsx['"]|node_modules\/\.bin\/tsx/, 'TypeScript in a child process (tsx)'],
  [/electron-vite|cliBuildOptions|ensureRendererBuilt/, 'a build'],
];

/** What a file may change for the files after it when they share one module graph. */
const LEAKY = /\bvi\.(mock|doMock|unmock|stubGlobal|stubEnv|useFakeTimers|resetModules)\(/;

describe('the unit tier', () => {
  it('starts no server, builds nothing and runs no CLI process (those tests are in test/integration)', () => {
    const found = unitFiles.filter((f) => f !== SELF).flatMap((f) => HEAVY.filter(([re]) => re.test(source(f))).map(([, what]) => `${f}: ${what}`));
    expect(found).toEqual([]);
  });

  it('runs isolated exactly the files that mock modules, fake timers or stub globals', () => {
    const leaky = unitFiles.filter((f) => f !== SELF && LEAKY.test(source(f))).sort();
    expect([...ISOLATED_UNIT_FILES].sort()).toEqual(leaky);
  });

  it('catches what it looks for', () => {
    expect(HEAVY.some(([re]) => re.test("const pg = await startPostgres();"))).toBe(true);
    expect(HEAVY.some(([re]) => re.test("spawn(process.execPath, ['--import', 'tsx', path])"))).toBe(true);
    expect(LEAKY.test("vi.mock('../../../src-renderer/api/client', () => ({}))")).toBe(true);
    expect(LEAKY.test('vi.fn()')).toBe(false);
  });
});
