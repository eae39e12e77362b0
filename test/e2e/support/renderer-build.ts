import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../../../', import.meta.url));
export const rendererOut = join(repo, 'out/renderer');

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of readdirSync(path)) if (e !== 'node_modules') max = Math.max(max, newest(join(path, e)));
  return max;
}

/** The renderer build is stale when any source it is made from is newer than its index.html. */
export function rendererIsStale(): boolean {
  const index = join(rendererOut, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = ['src-renderer', 'shared', 'electron.vite.config.ts', 'package.json'].map((p) => join(repo, p));
  return sources.some((s) => existsSync(s) && newest(s) > built);
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = join(repo, 'out', '.renderer-build.lock');
  mkdirSync(join(repo, 'out'), { recursive: true });
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test process is building: a lock older than 5 minutes is left over from a crash.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (i > 600) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds the renderer into out/renderer when it is missing or older than its sources, so
 * that the e2e tests work on a clean clone; the same config as `npm run build` uses.
 */
export async function ensureRendererBuilt(): Promise<void> {
  if (!rendererIsStale()) return;
  await withLock(async () => {
    if (!rendererIsStale()) return;
    const { build } = await import('vite');
    const { rendererConfig } = await import('../../../electron.vite.config');
    // Vitest sets NODE_ENV=test, which Vite would honour with React's development build.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ ...rendererConfig, mode: 'production', configFile: false, logLevel: 'warn', build: { ...rendererConfig.build, outDir: rendererOut, emptyOutDir: true } });
    } finally {
      process.env.NODE_ENV = env;
    }
  });
}
