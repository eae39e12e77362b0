import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { DuckdbFactory, EngineContext, EngineSettings, EnvLookup, Environment } from './context';
import type { InstanceBounds } from './duckdb/instance';
import { DEFAULT_CACHE_MAX_BYTES, parseSize } from './gc/sizes';
import { openClient } from './postgres/connect';
import { openObjectStore } from './storage/open-store';

// How a shell builds its EngineContext (context/index.ts) from its process. Only the front
// door imports this: it draws on gc, postgres, storage and duckdb, which read the context.

export const DEFAULT_AUDIT_LOCK_WAIT_MS = 60_000;

/** The settings an environment gives (the variables the README's "Configuration" lists); unreadable values fall back to the defaults. */
export function settingsFromEnvironment(env: EnvLookup): EngineSettings {
  const wait = Number(env('WEIR_AUDIT_LOCK_WAIT_MS'));
  const maxSize = env('WEIR_CACHE_MAX_SIZE');
  const memory = env('WEIR_DUCKDB_MEMORY_LIMIT');
  const spill = env('WEIR_DUCKDB_MAX_SPILL');
  return {
    user: osUser(),
    userHint: env('WEIR_USER') || null,
    cacheDir: env('WEIR_CACHE_DIR') || null,
    cacheMaxBytes: (maxSize ? parseSize(maxSize) : null) ?? DEFAULT_CACHE_MAX_BYTES,
    duckdbTempDir: env('WEIR_DUCKDB_TEMP') ?? join(tmpdir(), `weir-duckdb-${process.pid}`),
    duckdbMemoryBytes: memory ? positiveSize(memory) : null,
    duckdbMaxSpillBytes: spill ? positiveSize(spill) : null,
    auditLockWaitMs: wait > 0 ? wait : DEFAULT_AUDIT_LOCK_WAIT_MS,
    signerKeyDir: env('WEIR_SIGNER_KEY_DIR') || join(env('XDG_CONFIG_HOME') || join(homedir(), '.config'), 'weir', 'signers'),
  };
}

/** A size above zero, or null (DuckDB's own bound) for anything else. */
function positiveSize(text: string): number | null {
  const n = parseSize(text);
  return n && n > 0 ? n : null;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * A context made from a process's environment: settings from its variables, `${env:NAME}`
 * looked up in it, the default DuckDB instances and clients. `overrides` replace any part
 * (the API service puts its secret store in front of `env`; tests pass a clock or a factory).
 */
export function contextFromEnvironment(environment: Environment, overrides: Partial<EngineContext> = {}): EngineContext {
  const fromEnvironment: EnvLookup = (name) => environment[name];
  const settings = overrides.settings ?? settingsFromEnvironment(fromEnvironment);
  return {
    env: overrides.env ?? fromEnvironment,
    processEnv: overrides.processEnv ?? environment,
    settings,
    now: overrides.now ?? (() => new Date()),
    duckdb: overrides.duckdb ?? lockedDuckdb(settings.duckdbTempDir, { memoryBytes: settings.duckdbMemoryBytes ?? null, maxSpillBytes: settings.duckdbMaxSpillBytes ?? null }),
    clients: overrides.clients ?? { objectStore: openObjectStore, postgres: openClient },
  };
}

/**
 * The default DuckDB factory: locked instances that spill to `spillDir`. DuckDB (a native
 * library) loads on the first call, so commands that never query do not pay for it.
 */
export function lockedDuckdb(spillDir: string, bounds: InstanceBounds = { memoryBytes: null, maxSpillBytes: null }): DuckdbFactory {
  let factory: Promise<DuckdbFactory> | null = null;
  return async (allowed) => {
    factory ??= import('./duckdb/instance').then((m) => m.lockedInstances(spillDir, bounds));
    return (await factory)(allowed);
  };
}
