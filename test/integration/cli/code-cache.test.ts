import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runWeir, WEIR_BIN } from '../../support/cli';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** A workspace with bench figure 6's two-node pipeline (seed → SQL). */
function workspace(root: string): string {
  writeFileSync(join(root, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1 }));
  const pipeline = {
    format: 'weir.pipeline',
    version: 1,
    name: 'two',
    params: {},
    nodes: [
      { id: 'seed_specs', name: 'specs', kind: 'seed', inputs: [], config: { columns: [{ name: 'assay', type: 'VARCHAR' }, { name: 'min_value', type: 'DOUBLE' }], rows: [['viability', 70], ['cd3_pct', 80]] } },
      { id: 'strict', name: 'strict_specs', kind: 'sql', inputs: ['seed_specs'], config: { sql: ['select assay from specs where min_value > 75'] } },
    ],
    layout: {},
  };
  writeFileSync(join(root, 'two.weir.json'), JSON.stringify(pipeline, null, 2));
  return join(root, 'two.weir.json');
}

/** The cache folder's files (name → inode and modification time). */
function cacheFiles(dir: string): Map<string, { ino: number; mtimeMs: number; mode: number }> {
  const out = new Map<string, { ino: number; mtimeMs: number; mode: number }>();
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const st = statSync(join(dir, n));
    out.set(n, { ino: st.ino, mtimeMs: st.mtimeMs, mode: st.mode & 0o777 });
  }
  return out;
}

describe('bin/weir.cjs runs the CLI bundle from a per-user V8 code cache', () => {
  let tmp: string;
  let xdg: string;
  let cacheDir: string;
  let file: string;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runWeir(args, { cwd: tmp, env: { XDG_CACHE_HOME: xdg, WEIR_CODE_CACHE: '', ...env } });

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'weir-code-cache-'));
    xdg = join(tmp, 'xdg');
    cacheDir = join(xdg, 'weir', 'code-cache');
    file = workspace(tmp);
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes the cache once, in a private folder, and the next run uses it as it is', async () => {
    const first = await run(['run', file, '--no-record']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/strict_specs: done/);
    expect(statSync(join(xdg, 'weir')).mode & 0o777).toBe(0o700);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    const written = cacheFiles(cacheDir);
    expect([...written.keys()]).toEqual([expect.stringMatching(/^[0-9a-f]{40}-run\.bin$/)]);
    const [name, st] = [...written][0]!;
    expect(st.mode).toBe(0o600);

    // Accepted by V8: a cache missing, damaged or rejected is written again (a new file renamed in).
    const second = await run(['run', file, '--no-record']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/strict_specs: done/);
    expect(cacheFiles(cacheDir).get(name)).toEqual(st);

    // Each command has its own (the functions it ran).
    expect((await run(['validate', file])).code).toBe(0);
    expect([...cacheFiles(cacheDir).keys()].sort()).toEqual([name, name.replace(/-run\.bin$/, '-validate.bin')].sort());
  });

  it('a damaged cache file fails its checksum: the run goes on and the cache is written again', async () => {
    expect((await run(['run', file, '--no-record'])).code).toBe(0);
    const [name, before] = [...cacheFiles(cacheDir)][0]!;
    const path = join(cacheDir, name);
    const bytes = readFileSync(path);
    for (let i = 40; i < bytes.length; i += 997) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(path, bytes);
    const damaged = await run(['run', file, '--no-record']);
    expect(damaged.stderr).toBe('');
    expect(damaged.code).toBe(0);
    expect(damaged.stdout).toMatch(/strict_specs: done/);
    const after = cacheFiles(cacheDir).get(name)!;
    expect(after.ino).not.toBe(before.ino);
    const fresh = readFileSync(path);
    expect(createHash('sha1').update(fresh.subarray(20)).digest().equals(fresh.subarray(0, 20))).toBe(true);
  });

  it('keys the cache by the bundle: a changed bundle gets a cache of its own', async () => {
    expect((await run(['run', file, '--no-record'])).code).toBe(0);
    const original = cacheFiles(cacheDir);
    // A copy of the CLI whose bundle differs by one comment, beside the repository's node_modules.
    const bin = join(REPO, 'out', 'test-cli', `code-cache-${process.pid}-${Date.now()}`);
    mkdirSync(bin, { recursive: true });
    try {
      copyFileSync(WEIR_BIN, join(bin, 'weir.cjs'));
      writeFileSync(join(bin, 'weir-main.cjs'), readFileSync(join(WEIR_BIN, '..', 'weir-main.cjs'), 'utf8') + '\n// another build\n');
      const other = spawnSync(process.execPath, [join(bin, 'weir.cjs'), 'run', file, '--no-record'], { cwd: tmp, env: { ...process.env, XDG_CACHE_HOME: xdg, WEIR_CODE_CACHE: '' }, encoding: 'utf8' });
      expect(other.status).toBe(0);
      const now = cacheFiles(cacheDir);
      expect(now.size).toBe(2);
      for (const [n, st] of original) expect(now.get(n)).toEqual(st);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('says in one line that the bundle is missing when bin/weir.cjs is copied alone', () => {
    const lonely = join(tmp, 'bin');
    mkdirSync(lonely);
    copyFileSync(WEIR_BIN, join(lonely, 'weir.cjs'));
    const r = spawnSync(process.execPath, [join(lonely, 'weir.cjs'), '--version'], { cwd: tmp, env: { ...process.env, XDG_CACHE_HOME: xdg }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`weir: cannot read ${join(lonely, 'weir-main.cjs')} (ENOENT): bin/weir.cjs runs the bundle beside it; install or copy both\n`);
  });

  it('writes and reads nothing where the folder is not private to the user, or when turned off', async () => {
    mkdirSync(cacheDir, { recursive: true });
    chmodSync(cacheDir, 0o777);
    const open = await run(['run', file, '--no-record']);
    expect(open.code).toBe(0);
    expect(open.stdout).toMatch(/strict_specs: done/);
    expect(cacheFiles(cacheDir).size).toBe(0);

    rmSync(xdg, { recursive: true, force: true });
    const off = await run(['run', file, '--no-record'], { WEIR_CODE_CACHE: 'off' });
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/strict_specs: done/);
    expect(cacheFiles(join(xdg, 'weir')).size).toBe(0);
  });
});
