import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** Dockerfile instructions, continuation lines joined, comments left out. */
function instructions(text: string): { op: string; args: string }[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

/** Whether .dockerignore (gitignore-like patterns, `!` re-includes; the last match wins) keeps a path out of the build context. */
function ignored(patterns: string[], path: string): boolean {
  let out = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const p = negate ? raw.slice(1) : raw;
    const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/.*)?$`);
    if (re.test(path)) out = !negate;
  }
  return out;
}

/**
 * The runner's image (Dockerfile, .dockerignore): Docker is not available here, so this checks
 * what can go wrong without building it. The install itself (`npm ci --omit=dev` on exactly the
 * files the image gets, then a run of the template) is scripts/smoke-server-install.sh in CI.
 */
describe('the runner image', () => {
  const steps = instructions(read('Dockerfile'));
  const patterns = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('is node:20-slim, installs production dependencies only, no build tools, and runs bin/weir.cjs as a non-root user', () => {
    expect(steps[0]).toEqual({ op: 'FROM', args: 'node:20-slim' });
    expect(steps.filter((s) => s.op === 'FROM')).toHaveLength(1);
    const runs = steps.filter((s) => s.op === 'RUN').map((s) => s.args);
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runs.join('\n')).not.toMatch(/apt-get|apk |build-essential|\bmake\b|g\+\+|python|node-gyp|npm (install|i) /);
    const user = steps.filter((s) => s.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(steps.findIndex((s) => s.op === 'USER')).toBeGreaterThan(steps.findLastIndex((s) => s.op === 'RUN'));
    expect(steps.find((s) => s.op === 'ENTRYPOINT')?.args).toBe('["node", "/app/bin/weir.cjs"]');
  });

  it('gets every file it copies through .dockerignore, and nothing else of the repository', () => {
    const copied = steps.filter((s) => s.op === 'COPY').flatMap((s) => s.args.split(/\s+/).slice(0, -1));
    expect(copied.sort()).toEqual(['bin/weir-main.cjs', 'bin/weir.cjs', 'package-lock.json', 'package.json']);
    for (const f of copied) expect(ignored(patterns, f), f).toBe(false);
    for (const f of ['.git/config', 'node_modules/zod/package.json', '.weir/runs/x.json', 'weir.workspace.json', '.env', 'src-main/cli/index.ts', 'test/support/cli.ts', 'templates/cgt-batch-release/data/raw/batches.csv']) {
      expect(ignored(patterns, f), f).toBe(true);
    }
  });

  it('has every package the bundle loads (require and import) among the production dependencies', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const bundle = read('bin/weir-main.cjs') + read('bin/weir.cjs');
    const loaded = [...bundle.matchAll(/\b(?:require|import)\("([^"./][^"]*)"\)/g)].map((m) => m[1]!);
    const packages = new Set(loaded.filter((m) => !m.startsWith('node:') && !builtinModules.includes(m.split('/')[0]!)).map((m) => (m.startsWith('@') ? m.split('/').slice(0, 2).join('/') : m.split('/')[0]!)));
    // Loaded lazily by `weir run` for PostgreSQL sinks: the check must see dynamic imports too.
    expect(packages.has('pg')).toBe(true);
    expect([...packages].filter((p) => !Object.hasOwn(pkg.dependencies, p))).toEqual([]);
  });
});
