import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { cliBuildOptions, launcherBuildOptions } from '../../../scripts/build-cli.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('the committed CLI (bin/weir.cjs, its bundle bin/weir-main.cjs)', () => {
  it('is what `npm run build:cli` makes from the sources (run it when this fails)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-cli-'));
    try {
      await build(cliBuildOptions(join(dir, 'weir-main.cjs')));
      await build(launcherBuildOptions(join(dir, 'weir.cjs')));
      for (const f of ['weir-main.cjs', 'weir.cjs']) expect(readFileSync(join(root, 'bin', f), 'utf8') === readFileSync(join(dir, f), 'utf8'), f).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs only runtime dependencies, so `npm ci --omit=dev` is enough on a server', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const runtime = new Set(Object.keys(pkg.dependencies));
    const bundle = readFileSync(join(root, 'bin/weir-main.cjs'), 'utf8') + readFileSync(join(root, 'bin/weir.cjs'), 'utf8');
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!).filter((m) => !m.startsWith('node:'));
    const packages = new Set(required.map((m) => (m.startsWith('@') ? m.split('/').slice(0, 2).join('/') : m.split('/')[0]!)));
    const builtins = new Set(['fs', 'path', 'os', 'crypto', 'child_process', 'url', 'util', 'stream', 'http', 'https', 'net', 'events', 'zlib', 'readline', 'module', 'worker_threads', 'timers', 'buffer', 'assert', 'tty', 'dns']);
    const missing = [...packages].filter((p) => !runtime.has(p) && !builtins.has(p));
    expect(missing).toEqual([]);
    expect(runtime.has('electron')).toBe(false);
  });
});
