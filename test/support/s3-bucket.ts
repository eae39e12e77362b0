/**
 * The integration run's one s3rver (test/support/global-servers.ts), shared by every file:
 *
 *   const BUCKET = uniqueBucket('lake');   // at module load: pipelines and assertions name it
 *   s3 = sharedS3();
 *   await s3.createBucket(BUCKET);
 *
 * Files keep apart by bucket: each names its buckets with uniqueBucket(), so files running in
 * parallel never see each other's objects or uploads. Tests that stop the server (to reach a
 * dead endpoint) start their own with startS3Server().
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { s3TestServer, type S3TestServer } from './s3-server';
import type { SharedS3 } from './shared-server-info';

/** `<base>-<8 hex>`: a bucket name no other test file uses (S3 names: lowercase, digits, hyphens). */
export function uniqueBucket(base: string): string {
  return `${base}-${randomBytes(4).toString('hex')}`;
}

/** The shared server, with a client of this file's own; stop() closes the client only. */
export function sharedS3(): S3TestServer {
  const info = inject('weirS3') as SharedS3 | undefined;
  if (!info) throw new Error('no shared S3 server in this run: sharedS3() works in the integration project (npm run test:integration)');
  return s3TestServer(info.endpoint, async (client) => client.destroy());
}
