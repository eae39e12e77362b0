/**
 * The integration tier's global setup (vitest.config.ts): one embedded PostgreSQL cluster and
 * one s3rver for the whole run, started side by side before the first test file and stopped
 * after the last. Test files reach them through postgresDatabase() and sharedS3(), each with
 * a database (and role) or buckets of its own, so files stay independent and run in parallel.
 * Starting a cluster per file cost seconds of initdb each; fault tests that stop or kill a
 * server still start their own with startPostgres() / startS3Server().
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres-server';
import { startS3Server } from './s3-server';
import type { SharedPostgres, SharedS3 } from './shared-server-info';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [pg, s3] = await Promise.allSettled([startPostgres({ database: 'weir_admin' }), startS3Server()]);
  const stop = async () => {
    if (s3.status === 'fulfilled') await s3.value.stop();
    if (pg.status === 'fulfilled') await pg.value.teardown();
  };
  if (pg.status === 'rejected' || s3.status === 'rejected') {
    await stop();
    throw (pg.status === 'rejected' ? pg.reason : (s3 as PromiseRejectedResult).reason) as Error;
  }
  const postgres: SharedPostgres = { host: pg.value.host, port: pg.value.port, user: pg.value.user, password: pg.value.password };
  const objectStore: SharedS3 = { endpoint: s3.value.endpoint };
  project.provide('weirPostgres', postgres);
  project.provide('weirS3', objectStore);
  return stop;
}
