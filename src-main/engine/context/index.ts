import type pg from 'pg';
import type { ConnectionSpec } from '../../../shared/workspace/schema';
import type { DuckdbFactory } from '../duckdb/instance';
import type { OpenOptions, PgTarget } from '../postgres/connect';
import type { ObjectStore } from '../storage/object-store';
import type { OpenStoreOptions } from '../storage/open-store';

export type { DuckdbFactory } from '../duckdb/instance';

/**
 * What a shell hands the engine (DESIGN, "One engine, three shells"): every value the engine
 * would otherwise read from the process (environment variables, the OS user, the temp folder)
 * and every client it opens. Below the front door (index.ts) nothing reads the environment or
 * keeps a process-wide instance: it is all here, so the desktop, the CLI, the browser shell,
 * the benchmarks and the tests each decide it once, and a test can replace any part.
 *
 * The engine's folders read these types from here; how a shell builds one from its process
 * (default-context.ts) sits beside the front door, above every folder it draws on.
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
  /**
   * How signers' key files are kept at rest beyond their passphrase: the desktop wraps them
   * with the OS keychain (Electron safeStorage); absent, they are written as they are (0600).
   */
  keyWrapper?: KeyWrapper;
}

export type EnvLookup = (name: string) => string | undefined;
export type Environment = Readonly<Record<string, string | undefined>>;

/** How nodes (and gc) reach what lies outside the process. */
export interface EngineClients {
  /** The store behind a resolved folder or s3 connection (storage/open-store.ts). */
  objectStore: (name: string, spec: ConnectionSpec, o: OpenStoreOptions) => Promise<ObjectStore>;
  /** A connected PostgreSQL client (postgres/connect.ts openClient). */
  postgres: (target: PgTarget, o?: OpenOptions) => Promise<pg.Client>;
}

export interface EngineSettings {
  /**
   * Who runs and who signs: the OS account the process runs as (issue #18 item 4), never a
   * free variable.
   */
  user: string;
  /** WEIR_USER, when set: a display name recorded beside the account (run records' userHint), never instead of it. */
  userHint: string | null;
  /** Where the node cache lives instead of `<workspace>/.weir/cache` (WEIR_CACHE_DIR); null: in the workspace. */
  cacheDir: string | null;
  /** The caches' bound, in bytes (WEIR_CACHE_MAX_SIZE; 10 GiB). */
  cacheMaxBytes: number;
  /** Where DuckDB spills large intermediate results (WEIR_DUCKDB_TEMP; a folder per process under the temp folder). */
  duckdbTempDir: string;
  /**
   * DuckDB's memory bound and spill bound, in bytes (WEIR_DUCKDB_MEMORY_LIMIT,
   * WEIR_DUCKDB_MAX_SPILL); absent: DuckDB's own (80 % of RAM; 90 % of the spill disk's free
   * space). Set once when an instance is made, then locked with the rest of its configuration.
   */
  duckdbMemoryBytes?: number | null;
  duckdbMaxSpillBytes?: number | null;
  /** How long an audit log append waits for another run's lock (WEIR_AUDIT_LOCK_WAIT_MS; 60 s). */
  auditLockWaitMs: number;
  /**
   * Where signers' encrypted key files live (WEIR_SIGNER_KEY_DIR; else the user's config
   * dir, `$XDG_CONFIG_HOME/weir/signers` or `~/.config/weir/signers`): never the workspace.
   */
  signerKeyDir: string;
}

/** A request's own lookup (a test's, a one-off's) in front of the context's. */
export function lookupWith(ctx: Pick<EngineContext, 'env'>, first?: EnvLookup): EnvLookup {
  return first ? (name) => first(name) ?? ctx.env(name) : ctx.env;
}

/** A lookup into the process's own environment (libpq-style fallbacks read it, as libpq would). */
export function processLookup(ctx: Pick<EngineContext, 'processEnv'>): EnvLookup {
  return (name) => ctx.processEnv[name];
}

/**
 * How a shell keeps signers' key files at rest beyond their passphrase: the desktop wraps them
 * with Electron's safeStorage (the OS keychain); a server writes them as they are (mode 0600).
 */
export interface KeyWrapper {
  /** A short name for messages ("OS keychain"). */
  readonly name: string;
  /** Asked at each use (on Linux the keychain is known only once the app is ready); false: plain files. */
  available(): boolean;
  wrap(plain: Buffer): Buffer;
  unwrap(wrapped: Buffer): Buffer;
}
