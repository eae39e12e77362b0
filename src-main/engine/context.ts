import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import type pg from 'pg';
import type { ConnectionSpec } from '../../shared/workspace/schema';
import { DEFAULT_CACHE_MAX_BYTES, parseSize } from './gc/sizes';
import { openClient, type OpenOptions, type PgTarget } from './postgres/connect';
import type { ObjectStore } from './storage/object-store';
import { openObjectStore, type OpenStoreOptions } from './storage/open-store';

/**
 * What a shell hands the engine (DESIGN, "One engine, three shells"): every value the engine
 * would otherwise read from the process (environment variables, the OS user, the temp folder)
 * and every client it opens. Below the front door (index.ts) nothing reads the environment or
 * keeps a process-wide instance: it is all here, so the desktop, the CLI, the browser shell,
 * the benchmarks and the tests each decide it once, and a test can replace any part.
 */
export interface EngineContext {
  /**
   * `${env:NAME}` and the credential variables Weir reads itself: the CLI's process
   * environment; the desktop's and the browser shell's secret store first, then the
   * environment. OpenLineage's settings are read through it too, when a run starts (its key
   * is a secret, and may live in the keychain).
   */
  env: EnvLookup;
  /**
   * The process's own environment: what child processes (git) start with, and where libraries
   * look on their own (libpq's PG* fallbacks, the AWS credential chain), so a run's secret
   * registry remembers its credential variables too.
   */
  processEnv: Environment;
  settings: EngineSettings;
  /** The clock runs, records, run ids and gc read. */
  now: () => Date;
  /**
   * The DuckDB instance locked to exactly these folders (sandbox/allowed-dirs.ts decides
   * them). The default (duckdb/instance.ts) keeps a few, one per set of folders, for the
   * life of the context.
   */
  duckdb: DuckdbFactory;
  clients: EngineClients;
}

export type EnvLookup = (name: string) => string | undefined;
export type Environment = Readonly<Record<string, string | undefined>>;
export type DuckdbFactory = (allowed: readonly string[]) => Promise<DuckDBInstance>;

/** How nodes (and gc) reach what lies outside the process. */
export interface EngineClients {
  /** The store behind a resolved folder or s3 connection (storage/open-store.ts). */
  objectStore: (name: string, spec: ConnectionSpec, o: OpenStoreOptions) => Promise<ObjectStore>;
  /** A connected PostgreSQL client (postgres/connect.ts openClient). */
  postgres: (target: PgTarget, o?: OpenOptions) => Promise<pg.Client>;
}

export interface EngineSettings {
  /** Who runs, in run records: WEIR_USER, else the OS account. */
  user: string;
  /** Where the node cache lives instead of `<workspace>/.weir/cache` (WEIR_CACHE_DIR); null: in the workspace. */
  cacheDir: string | null;
  /** The caches' bound, in bytes (WEIR_CACHE_MAX_SIZE; 10 GiB). */
  cacheMaxBytes: number;
  /** Where DuckDB spills large intermediate results (WEIR_DUCKDB_TEMP; a folder per process under the temp folder). */
  duckdbTempDir: string;
  /** How long an audit log append waits for another run's lock (WEIR_AUDIT_LOCK_WAIT_MS; 60 s). */
  auditLockWaitMs: number;
}

export const DEFAULT_AUDIT_LOCK_WAIT_MS = 60_000;

/** The settings an environment gives (the variables the README's "Configuration" lists); unreadable values fall back to the defaults. */
export function settingsFromEnvironment(env: EnvLookup): EngineSettings {
  const wait = Number(env('WEIR_AUDIT_LOCK_WAIT_MS'));
  const maxSize = env('WEIR_CACHE_MAX_SIZE');
  return {
    user: env('WEIR_USER') ?? osUser(),
    cacheDir: env('WEIR_CACHE_DIR') || null,
    cacheMaxBytes: (maxSize ? parseSize(maxSize) : null) ?? DEFAULT_CACHE_MAX_BYTES,
    duckdbTempDir: env('WEIR_DUCKDB_TEMP') ?? join(tmpdir(), `weir-duckdb-${process.pid}`),
    auditLockWaitMs: wait > 0 ? wait : DEFAULT_AUDIT_LOCK_WAIT_MS,
  };
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
    duckdb: overrides.duckdb ?? lockedDuckdb(settings.duckdbTempDir),
    clients: overrides.clients ?? { objectStore: openObjectStore, postgres: openClient },
  };
}

/**
 * The default DuckDB factory: locked instances that spill to `spillDir`. DuckDB (a native
 * library) loads on the first call, so commands that never query do not pay for it.
 */
export function lockedDuckdb(spillDir: string): DuckdbFactory {
  let factory: Promise<DuckdbFactory> | null = null;
  return async (allowed) => {
    factory ??= import('./duckdb/instance').then((m) => m.lockedInstances(spillDir));
    return (await factory)(allowed);
  };
}

/** A request's own lookup (a test's, a one-off's) in front of the context's. */
export function lookupWith(ctx: Pick<EngineContext, 'env'>, first?: EnvLookup): EnvLookup {
  return first ? (name) => first(name) ?? ctx.env(name) : ctx.env;
}

/** A lookup into the process's own environment (libpq-style fallbacks read it, as libpq would). */
export function processLookup(ctx: Pick<EngineContext, 'processEnv'>): EnvLookup {
  return (name) => ctx.processEnv[name];
}
