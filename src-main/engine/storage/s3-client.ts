import { S3Client } from '@aws-sdk/client-s3';
import type { z } from 'zod';
import { WeirError } from '../../../shared/errors';
import type { s3Connection } from '../../../shared/workspace/schema';
import { processSecrets } from '../secrets/process-secrets';
import { markOperation, operationName } from './s3-errors';

export type S3ConnectionSpec = z.infer<typeof s3Connection>;

/**
 * How long a request may take to connect, and stay silent once connected (the SDK's socket
 * idle timeout), before it fails: a server that accepts and never answers fails each attempt.
 */
export const S3_TIMEOUTS = { connectionTimeout: 10_000, requestTimeout: 120_000 };

/**
 * A client for one S3 connection. Retries are ours (withRetry), not the SDK's, so that
 * downloads that fail mid-stream and requests are retried the same way, and a stopped
 * server fails fast with one message. Every error it throws says which request it belongs
 * to (operation, bucket, key), for messages that say what happened. `timeouts`: tests shorten them.
 */
export function createS3Client(spec: S3ConnectionSpec, connection: string, timeouts: typeof S3_TIMEOUTS = S3_TIMEOUTS): S3Client {
  if (spec.endpoint !== undefined) checkEndpoint(spec.endpoint, connection);
  const credentials =
    spec.access_key_id && spec.secret_access_key
      ? { accessKeyId: spec.access_key_id, secretAccessKey: spec.secret_access_key, ...(spec.session_token ? { sessionToken: spec.session_token } : {}) }
      : undefined; // the default AWS chain: AWS_* variables, profiles, SSO, instance roles
  const client = new S3Client({
    ...(spec.endpoint ? { endpoint: spec.endpoint } : {}),
    region: spec.region,
    forcePathStyle: spec.force_path_style,
    ...(credentials ? { credentials } : {}),
    // S3-compatible servers (MinIO, older Ceph) reject or ignore the newer default checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler: { ...timeouts, throwOnRequestTimeout: true },
  });
  let chainRemembered = !!credentials;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!chainRemembered) {
        chainRemembered = true;
        await rememberChainCredentials(client);
      }
      try {
        return await next(args);
      } catch (e) {
        const input = args.input as { Bucket?: string; Key?: string; Prefix?: string; PartNumber?: number };
        throw markOperation(e, {
          op: operationName(context.commandName ?? 'request'),
          ...(input.Bucket ? { bucket: input.Bucket } : {}),
          ...((input.Key ?? input.Prefix) !== undefined ? { key: input.Key ?? input.Prefix } : {}),
          ...(input.PartNumber ? { part: input.PartNumber } : {}),
        });
      }
    },
    { step: 'initialize', name: 'weirOperation' },
  );
  return client;
}

/**
 * Credentials the SDK found on its own (AWS_* variables, a profile file, SSO, an instance
 * role) are secrets like any resolved value: remembered process-wide before the first request.
 * The provider is the client's own, memoized, so nothing is looked up twice.
 */
async function rememberChainCredentials(client: S3Client): Promise<void> {
  try {
    const found = await client.config.credentials();
    processSecrets().remember(found.secretAccessKey);
    processSecrets().remember(found.sessionToken);
  } catch {
    // None found: the request itself fails with the SDK's error, named by describeS3Error.
  }
}

/** A custom endpoint must be an http(s) URL; the SDK's own message for a bad one is obscure. */
export function checkEndpoint(endpoint: string, connection: string): void {
  let ok = false;
  try {
    const u = new URL(endpoint);
    ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    ok = false;
  }
  if (!ok) throw new WeirError('connection', `connection "${connection}": bad endpoint "${endpoint}" (expected a URL such as http://minio:9000)`);
}
