// `npm run build` = electron-vite build (main, preload, renderer) + the CLI bundle. Electron's
// binary cannot run here, so the built preload is run in a Node vm with a fake `electron`
// module, the way a sandboxed preload runs: with no require but Electron's own.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../../shared/api/contract';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
let out: string;
/** What the build printed at `--logLevel warn`, as `npm start` shows it to a new user. */
let printed: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'weir-build-'));
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(repo, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', out, '--logLevel', 'warn'], { cwd: repo });
  printed = `${stdout}${stderr}`;
}, 180_000);
afterAll(() => rm(out, { recursive: true, force: true }));

describe('the desktop build (electron-vite)', () => {
  it('builds the main process, the preload and the renderer', () => {
    expect(existsSync(join(out, 'main/index.js'))).toBe(true);
    expect(existsSync(join(out, 'preload/index.cjs'))).toBe(true);
    expect(existsSync(join(out, 'renderer/index.html'))).toBe(true);
  });

  it('prints no warning: `npm start` runs this build, and a new user reads its warnings as errors', () => {
    // Rolldown's warnings are `[CODE] message` (INEFFECTIVE_DYNAMIC_IMPORT, MISSING_NAME_OPTION_FOR_IIFE_EXPORT were).
    const lines = printed.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => l.trim());
    expect(lines.filter((l) => /\[[A-Z_]{4,}\]|warn/i.test(l))).toEqual([]);
  });

  it('keeps DuckDB external to the main bundle (it is a native module, unpacked from the asar)', async () => {
    const main = await readFile(join(out, 'main/index.js'), 'utf8');
    expect(main).toMatch(/from "electron"/);
    // The engine loads DuckDB when a method first needs it, so the import may sit in a chunk:
    // some file of the main build imports the package by name, and none carries its code.
    const files = [join(out, 'main/index.js'), ...(await readdir(join(out, 'main/chunks')).catch(() => [])).map((f) => join(out, 'main/chunks', f))];
    const code = await Promise.all(files.filter((f) => f.endsWith('.js')).map((f) => readFile(f, 'utf8')));
    expect(code.some((c) => /from "@duckdb\/node-api"|import\("@duckdb\/node-api"\)/.test(c))).toBe(true);
    expect(code.some((c) => /class DuckDBInstance\b/.test(c))).toBe(false);
  });

  it('makes the preload one self-contained CommonJS file that exposes the bridge', async () => {
    const code = await readFile(join(out, 'preload/index.cjs'), 'utf8');
    const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
    // Names only: the schemas (and zod) stay out of the preload; the main process validates.
    expect(code).not.toMatch(/ZodError|safeParse/);
    const exposed: Record<string, { methods: Record<string, unknown>; shell: string }> = {};
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: never) => (exposed[key] = api) },
      ipcRenderer: { invoke: async () => ({ ok: true, result: {} }), on: () => {}, removeListener: () => {} },
    };
    const module = { exports: {} };
    vm.runInNewContext(code, {
      require: (m: string) => {
        if (m === 'electron') return electron;
        throw new Error(`a sandboxed preload cannot require ${m}`);
      },
      module,
      exports: module.exports,
    });
    expect(exposed.weir?.shell).toBe('electron');
    expect(Object.keys(exposed.weir?.methods ?? {}).sort()).toEqual([...methodNames].sort());
  });

  it('gives the built page a strict Content-Security-Policy and relative asset URLs', async () => {
    const html = await readFile(join(out, 'renderer/index.html'), 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self';/);
    expect(html).toMatch(/src="\.\/assets\//);
  });
});
