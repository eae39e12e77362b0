import { WeirError } from '../../../shared/errors';
import { isTransientNetworkError, networkErrorCode } from './retry';

export interface S3ErrorContext {
  connection: string;
  bucket: string;
  /** Shown for unreachable endpoints; userinfo stripped. */
  endpoint: string;
  key?: string;
}

interface SdkErrorShape {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

function shape(e: unknown): SdkErrorShape {
  return e && typeof e === 'object' ? (e as SdkErrorShape) : {};
}

export function httpStatusOf(e: unknown): number | null {
  return shape(e).$metadata?.httpStatusCode ?? null;
}

/** Throttling, 5xx, timeouts and dropped connections: another try may work. */
export function isRetryableS3Error(e: unknown): boolean {
  if (e instanceof WeirError) return false;
  const s = shape(e);
  const status = httpStatusOf(e);
  if (status === 429 || (status !== null && status >= 500)) return true;
  if (['SlowDown', 'Throttling', 'ThrottlingException', 'RequestTimeout', 'RequestTimeTooSkewed', 'InternalError'].includes(s.Code ?? s.name ?? '')) return true;
  if (s.$retryable) return true;
  return isTransientNetworkError(e);
}

/** Strips credentials and trailing slashes from an endpoint before it goes into a message. */
export function displayEndpoint(endpoint: string | undefined): string {
  if (!endpoint) return 'AWS S3';
  try {
    const u = new URL(endpoint);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return endpoint;
  }
}

/**
 * One line naming the connection, for the errors a user can act on: the endpoint cannot be
 * reached, the credentials are refused, the bucket or the key does not exist.
 */
export function describeS3Error(e: unknown, c: S3ErrorContext): WeirError {
  if (e instanceof WeirError) return e;
  const s = shape(e);
  const status = httpStatusOf(e);
  const code = s.Code ?? s.name ?? '';
  const where = `connection "${c.connection}"`;
  const net = networkErrorCode(e);
  if (code === 'ERR_INVALID_URL' || net === 'ERR_INVALID_URL' || (e instanceof TypeError && /invalid url/i.test(String(s.message)))) {
    return new WeirError('connection', `${where}: bad endpoint "${c.endpoint}" (expected a URL such as http://minio:9000)`);
  }
  if (net === 'ENOTFOUND' || net === 'EAI_AGAIN') {
    return new WeirError('connection', `${where}: cannot resolve the host of endpoint ${c.endpoint} (${net})`);
  }
  if (net || isTransientNetworkError(e)) {
    return new WeirError('connection', `${where}: cannot reach ${c.endpoint} (${net ?? (code || 'timeout')})`);
  }
  if (status === 403 || ['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden', 'AllAccessDisabled'].includes(code)) {
    const why = code === 'InvalidAccessKeyId' ? 'the access key is not known' : code === 'SignatureDoesNotMatch' ? 'the secret key does not match' : 'check the credentials and the bucket policy';
    return new WeirError('connection', `${where}: access denied to bucket "${c.bucket}" at ${c.endpoint} (${why})`);
  }
  if (status === 412 || code === 'PreconditionFailed') {
    return new WeirError('connection', `${where}: object "${c.key ?? '?'}" in bucket "${c.bucket}" changed while it was read; run again`);
  }
  if (code === 'NoSuchBucket') {
    return new WeirError('connection', `${where}: bucket "${c.bucket}" does not exist at ${c.endpoint}`);
  }
  if (code === 'NoSuchKey' || (status === 404 && c.key !== undefined)) {
    return new WeirError('connection', `${where}: object "${c.key ?? '?'}" not found in bucket "${c.bucket}"`);
  }
  if (status === 404) return new WeirError('connection', `${where}: bucket "${c.bucket}" does not exist at ${c.endpoint}`);
  const msg = (s.message ?? String(e)).split('\n')[0];
  return new WeirError('connection', `${where}: ${code && code !== 'Error' ? `${code}: ` : ''}${msg}${status ? ` (HTTP ${status})` : ''}`);
}
