/**
 * A database of this test file's own on the integration run's shared PostgreSQL cluster
 * (test/support/global-servers.ts), looking like a server of its own:
 *
 *   const pg = await postgresDatabase();
 *   afterAll(() => pg.teardown());
 *
 * Each file gets a new login role owning a new database. The role matters as much as the
 * database: a run ends the sessions that dead runs of this machine left behind, across the
 * whole cluster but only for its own user, so a file that kills a runner must not have its
 * orphaned sessions ended (and reported as warnings) by another file's run, nor end theirs.
 * The role may create databases and roles (tests grant to a reader role); it is no superuser.
 * Fault tests that stop the server start their own with startPostgres().
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { PostgresServer } from './postgres-server';
import type { SharedPostgres } from './shared-server-info';

function sharedCluster(): SharedPostgres {
  const info = inject('weirPostgres') as SharedPostgres | undefined;
  if (!info) throw new Error('no shared PostgreSQL in this run: postgresDatabase() works in the integration project (npm run test:integration)');
  return info;
}

async function withClient<T>(config: pg.ClientConfig, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(config);
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function postgresDatabase(): Promise<PostgresServer> {
  const shared = sharedCluster();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const password = `pw-${randomBytes(9).toString('hex')}`;
  const admin = { host: shared.host, port: shared.port, user: shared.user, password: shared.password, database: 'postgres' };
  await withClient(admin, async (c) => {
    await c.query(`CREATE ROLE ${name} LOGIN CREATEDB CREATEROLE PASSWORD '${password}'`);
    await c.query(`CREATE DATABASE ${name} OWNER ${name}`);
  });
  const base = { host: shared.host, port: shared.port, user: name, password };

  const client = async (db = name) => {
    const c = new pg.Client({ ...base, database: db });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  const refuseStop = () => {
    throw new Error('the integration run shares one PostgreSQL cluster: a test that stops the server starts its own with startPostgres()');
  };
  return {
    ...base,
    database: name,
    env: () => ({ PGHOST: base.host, PGPORT: String(base.port), PGUSER: name, PGPASSWORD: password, PGDATABASE: name, PGSSLMODE: 'disable' }),
    client,
    query: <R extends pg.QueryResultRow>(sql: string, values?: unknown[]) => withClient({ ...base, database: name }, async (c) => (await c.query<R>(sql, values)).rows),
    createDatabase: (db: string) => withClient({ ...base, database: name }, async (c) => void (await c.query(`CREATE DATABASE ${c.escapeIdentifier(db)}`))),
    stop: async () => refuseStop(),
    restart: async () => refuseStop(),
    async teardown() {
      // Frees the disk at once; the role stays (it may have granted to roles it made) and
      // goes with the cluster at the end of the run.
      await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
    },
    log: () => '(the shared cluster of the integration run: its log is not kept per file)',
  };
}
