import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextFromEnvironment, createEngine, DEFAULT_AUDIT_LOCK_WAIT_MS, settingsFromEnvironment, type EngineContext } from '../../../src-main/engine';
import { testContext } from '../../support/engine';
import { tempDir } from '../../support/temp-dir';

const lookup = (vars: Record<string, string>) => (name: string) => vars[name];

/** A workspace whose lake is a folder connection named by `${env:WEIR_CTX_LAKE}`, and a pipeline seed → table → lake sink. */
function workspace(): { root: string; file: string } {
  const root = tempDir('weir-context-');
  mkdirSync(join(root, 'lake-out'));
  const environments = { dev: { connections: { lake: { kind: 'folder', path: '${env:WEIR_CTX_LAKE}' } } } };
  writeFileSync(join(root, 'weir.workspace.json'), JSON.stringify({ format: 'weir.workspace', version: 1, default_environment: 'dev', environments }));
  const nodes = [
    { id: 'lots', name: 'lots', kind: 'seed', inputs: [], config: { columns: [{ name: 'lot', type: 'VARCHAR' }], rows: [['B1'], ['B2']] } },
    { id: 'kept', name: 'kept', kind: 'sql', inputs: ['lots'], config: { materialize: 'table', sql: ['select lot from lots'] } },
    { id: 'out', name: 'out', kind: 'lake_sink', inputs: ['kept'], config: { connection: 'lake', path: 'curated/lots', format: 'parquet' } },
  ];
  const file = join(root, 'lots.weir.json');
  writeFileSync(file, JSON.stringify({ format: 'weir.pipeline', version: 1, name: 'lots', nodes }));
  return { root, file };
}

describe('EngineContext: what a shell hands the engine', () => {
  it('settings come from the variables README "Configuration" names, with their defaults', () => {
    const set = settingsFromEnvironment(
      lookup({ WEIR_USER: 'qa', WEIR_CACHE_DIR: '/srv/cache', WEIR_CACHE_MAX_SIZE: '2GB', WEIR_DUCKDB_TEMP: '/srv/spill', WEIR_DUCKDB_MEMORY_LIMIT: '4GB', WEIR_DUCKDB_MAX_SPILL: '20GB', WEIR_AUDIT_LOCK_WAIT_MS: '500', WEIR_SIGNER_KEY_DIR: '/srv/keys' }),
    );
    expect(set).toEqual({
      user: set.user,
      userHint: 'qa',
      cacheDir: '/srv/cache',
      cacheMaxBytes: 2 * 1024 ** 3,
      duckdbTempDir: '/srv/spill',
      duckdbMemoryBytes: 4 * 1024 ** 3,
      duckdbMaxSpillBytes: 20 * 1024 ** 3,
      auditLockWaitMs: 500,
      signerKeyDir: '/srv/keys',
    });
    // The user is the OS account whatever WEIR_USER says (a hint beside it); keys live in the user's config folder, never a workspace.
    expect(set.user).not.toBe('qa');
    expect(settingsFromEnvironment(lookup({ XDG_CONFIG_HOME: '/home/u/.cfg' })).signerKeyDir).toBe('/home/u/.cfg/weir/signers');
    const defaults = settingsFromEnvironment(lookup({ WEIR_CACHE_MAX_SIZE: 'lots', WEIR_AUDIT_LOCK_WAIT_MS: '-1', WEIR_CACHE_DIR: '', WEIR_DUCKDB_MEMORY_LIMIT: 'lots', WEIR_DUCKDB_MAX_SPILL: '0' }));
    // null: DuckDB's own bounds.
    expect(defaults).toMatchObject({ cacheDir: null, cacheMaxBytes: 10 * 1024 ** 3, auditLockWaitMs: DEFAULT_AUDIT_LOCK_WAIT_MS, duckdbMemoryBytes: null, duckdbMaxSpillBytes: null });
    expect(defaults.duckdbTempDir).toMatch(new RegExp(`weir-duckdb-${process.pid}$`));
    expect(defaults.user).not.toBe('');
  });

  it('a context reads the environment it is given, not the process one', () => {
    const ctx = contextFromEnvironment({ WEIR_USER: 'given-user', ONLY_HERE: 'x' });
    expect(ctx.settings.userHint).toBe('given-user');
    expect(ctx.env('ONLY_HERE')).toBe('x');
    expect(ctx.env('PATH')).toBeUndefined();
    const keychainFirst = contextFromEnvironment({ K: 'from-env' }, { env: (n) => (n === 'K' ? 'from-keychain' : undefined) });
    expect(keychainFirst.env('K')).toBe('from-keychain');
    expect(keychainFirst.processEnv.K).toBe('from-env');
  });

  it("a run takes its clock, user, cache folder, secrets, DuckDB and stores from the engine's context", async () => {
    const { root, file } = workspace();
    const base = testContext();
    const cacheDir = join(root, 'cache-elsewhere');
    const allowed: string[][] = [];
    const opened: string[] = [];
    const ctx: EngineContext = {
      ...base,
      // Only the context knows WEIR_CTX_LAKE: the process environment does not.
      env: lookup({ WEIR_CTX_LAKE: 'lake-out' }),
      settings: { ...base.settings, user: 'qa-analyst-7', cacheDir },
      now: () => new Date('2030-01-02T03:04:05.000Z'),
      duckdb: (dirs) => {
        allowed.push([...dirs]);
        return base.duckdb(dirs);
      },
      clients: {
        ...base.clients,
        objectStore: (name, spec, o) => {
          opened.push(`${name}:${spec.kind}`);
          return base.clients.objectStore(name, spec, o);
        },
      },
    };
    expect(process.env.WEIR_CTX_LAKE).toBeUndefined();
    const out = await createEngine(ctx).run({ file });
    expect(out.error).toBeNull();
    expect(out.status).toBe('succeeded');
    expect(out.runId).toMatch(/^20300102T030405\.000Z-[0-9a-f]{6}$/);
    expect(out.record).toMatchObject({ user: 'qa-analyst-7', startedAt: '2030-01-02T03:04:05.000Z', finishedAt: '2030-01-02T03:04:05.000Z' });
    expect(opened).toEqual(['lake:folder']);
    expect(readdirSync(join(root, 'lake-out', 'curated', 'lots'))).toContain('_manifest.json');
    // The node cache went where the settings said, and DuckDB was allowed there (and in the lake's folder).
    expect(readdirSync(join(cacheDir, 'nodes')).some((f) => f.endsWith('.parquet'))).toBe(true);
    expect(existsSync(join(root, '.weir', 'cache', 'nodes'))).toBe(false);
    expect(allowed.some((dirs) => dirs.includes(join(cacheDir, 'nodes')) && dirs.includes(join(root, 'lake-out')))).toBe(true);
  });

  it("the audit log waits for another run's lock as long as the settings say", async () => {
    const { root, file } = workspace();
    const base = testContext();
    mkdirSync(join(root, '.weir', 'audit'), { recursive: true });
    // Held by a live process of this host (this one): not stale, so the append waits.
    writeFileSync(join(root, '.weir', 'audit', 'log.lock'), `${process.pid}\n${hostname()}\n`);
    const t0 = performance.now();
    const out = await createEngine({ ...base, env: lookup({ WEIR_CTX_LAKE: 'lake-out' }), settings: { ...base.settings, auditLockWaitMs: 300 } }).run({ file, useCache: false });
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(out.status).toBe('failed');
    expect(out.error?.message).toContain('is held by another run');
    // Nothing published without its audit entry.
    expect(existsSync(join(root, 'lake-out', 'curated', 'lots', '_manifest.json'))).toBe(false);
  });

  it('gc bounds the caches by the settings', async () => {
    const { root } = workspace();
    const base = testContext();
    const report = await createEngine({ ...base, settings: { ...base.settings, cacheMaxBytes: 12_345 } }).gc({ root, file: { format: 'weir.workspace', version: 1, default_environment: 'dev', environments: {} }, filePath: null }, { dryRun: true });
    expect(report.cache.maxBytes).toBe(12_345);
  });

  it("git runs with the context's process environment", async () => {
    const root = tempDir('weir-context-git-');
    const home = tempDir('weir-context-home-');
    const isolated = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: join(home, 'gitconfig') };
    execFileSync('git', ['init', '-q', '-b', 'main', root], { env: isolated });
    writeFileSync(join(root, 'a.weir.json'), '{}\n');
    const who = { GIT_AUTHOR_NAME: 'Context Author', GIT_AUTHOR_EMAIL: 'author@ctx.example', GIT_COMMITTER_NAME: 'Context Author', GIT_COMMITTER_EMAIL: 'author@ctx.example' };
    const engine = createEngine(contextFromEnvironment({ ...isolated, ...who }));
    const commit = await engine.git.commit({ dir: root, files: [join(root, 'a.weir.json')], message: 'Add a' });
    expect(commit).toMatchObject({ author: { name: 'Context Author', email: 'author@ctx.example' }, usedFallbackIdentity: false });
    expect((await engine.git.history(join(root, 'a.weir.json')))[0]).toMatchObject({ subject: 'Add a', author: { name: 'Context Author' } });
  });
});
