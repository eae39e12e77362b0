import { WeirError } from '../../../shared/errors';
import { isTransientNetworkError, networkErrorCode, retriesNote } from './retry';

export interface S3ErrorContext {
  connection: string;
  bucket: string;
  /** Shown for unreachable endpoints; userinfo stripped. */
  endpoint: string;
  key?: string;
  /**
   * Name the request that failed and how many retries were made (`GET s3://b/k failed after
   * 3 retries: ...`). A store's errors do; a connection test's single listing does not need to.
   */
  operation?: boolean;
  retries?: number;
}

/** What request an SDK error (or a body read) belongs to: put on the error by the client's middleware. */
export interface S3Operation {
  op: string;
  bucket?: string;
  key?: string;
  part?: number;
  /** The answer came, then its body could not be read to the end. */
  midDownload?: boolean;
}

interface SdkErrorShape {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  $weirOperation?: S3Operation;
}

function shape(e: unknown): SdkErrorShape {
  return e && typeof e === 'object' ? (e as SdkErrorShape) : {};
}

export function httpStatusOf(e: unknown): number | null {
  return shape(e).$metadata?.httpStatusCode ?? null;
}

const OPERATIONS: Record<string, string> = {
  ListObjectsV2Command: 'list',
  GetObjectCommand: 'GET',
  HeadObjectCommand: 'HEAD',
  PutObjectCommand: 'PUT',
  UploadPartCommand: 'PUT',
  CreateMultipartUploadCommand: 'start multipart upload of',
  CompleteMultipartUploadCommand: 'complete multipart upload of',
  AbortMultipartUploadCommand: 'abort multipart upload of',
  DeleteObjectCommand: 'DELETE',
  ListMultipartUploadsCommand: 'list multipart uploads under',
};

/** The user-facing name of an SDK command (`GetObjectCommand` → `GET`). */
export function operationName(commandName: string): string {
  return OPERATIONS[commandName] ?? commandName.replace(/Command$/, '');
}

/** Marks an error with the request it belongs to (the first mark wins: the innermost knows best). */
export function markOperation<E>(e: E, op: S3Operation): E {
  if (e !== null && typeof e === 'object' && !(e as SdkErrorShape).$weirOperation) {
    try {
      Object.defineProperty(e, '$weirOperation', { value: op, enumerable: false, configurable: true });
    } catch {
      // A frozen error keeps its own message.
    }
  }
  return e;
}

/** Reads a GET's body; a failure while reading is a download cut short, not an unreachable server. */
export async function readingBody<T>(read: Promise<T>, bucket: string, key: string): Promise<T> {
  try {
    return await read;
  } catch (e) {
    throw markOperation(e, { op: 'GET', bucket, key, midDownload: true });
  }
}

/** `GET s3://bucket/key (part 3)`: the request an error belongs to, for messages. */
export function describeOperation(e: unknown): string | null {
  const o = shape(e).$weirOperation;
  if (!o) return null;
  const target = o.bucket ? ` s3://${o.bucket}/${o.key ?? ''}` : o.key ? ` ${o.key}` : '';
  return `${o.op}${target}${o.part ? ` (part ${o.part})` : ''}`;
}

/** Throttling, 5xx, timeouts and dropped connections: another try may work. */
export function isRetryableS3Error(e: unknown): boolean {
  if (e instanceof WeirError) return false;
  const s = shape(e);
  const status = httpStatusOf(e);
  if (status === 429 || (status !== null && status >= 500)) return true;
  if (['SlowDown', 'Throttling', 'ThrottlingException', 'RequestTimeout', 'RequestTimeTooSkewed', 'InternalError'].includes(s.Code ?? s.name ?? '')) return true;
  if (s.$retryable) return true;
  if (s.$weirOperation?.midDownload) return true;
  return isTransientNetworkError(e);
}

/** Why a request is retried, in a few words: `HTTP 503 SlowDown`, `ECONNRESET mid-download`. */
export function retryReason(e: unknown): string {
  const s = shape(e);
  const status = httpStatusOf(e);
  const code = s.Code ?? s.name ?? '';
  if (status) return `HTTP ${status}${code && code !== 'Error' && code !== 'Unknown' ? ` ${code}` : ''}`;
  const net = networkErrorCode(e) ?? (code || 'timeout');
  return s.$weirOperation?.midDownload ? `${net} mid-download` : net;
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

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** What went wrong, without who (and, when `named`, the request already says which object): a user can act on it. */
function cause(e: unknown, c: S3ErrorContext, named: boolean): string {
  const s = shape(e);
  const status = httpStatusOf(e);
  const code = s.Code ?? s.name ?? '';
  const net = networkErrorCode(e);
  const key = s.$weirOperation?.key ?? c.key;
  if (code === 'ERR_INVALID_URL' || net === 'ERR_INVALID_URL' || (e instanceof TypeError && /invalid url/i.test(String(s.message)))) {
    return `bad endpoint "${c.endpoint}" (expected a URL such as http://minio:9000)`;
  }
  if (net === 'ENOTFOUND' || net === 'EAI_AGAIN') return `cannot resolve the host of endpoint ${c.endpoint} (${net})`;
  if (s.$weirOperation?.midDownload && status === null) {
    return `the connection to ${c.endpoint} dropped mid-download (${net ?? (code || s.message || 'incomplete body')})`;
  }
  if (net && RESET_CODES.has(net)) return `the connection to ${c.endpoint} was reset (${net})`;
  if (code === 'TimeoutError' || code === 'RequestTimeout' || net === 'ETIMEDOUT' || net === 'UND_ERR_CONNECT_TIMEOUT') {
    return `no answer from ${c.endpoint} in time (${net ?? code})`;
  }
  if (net || isTransientNetworkError(e)) return `cannot reach ${c.endpoint} (${net ?? (code || 'timeout')})`;
  if (status === 403 || ['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden', 'AllAccessDisabled'].includes(code)) {
    const why = code === 'InvalidAccessKeyId' ? 'the access key is not known' : code === 'SignatureDoesNotMatch' ? 'the secret key does not match' : 'check the credentials and the bucket policy';
    return `access denied to bucket "${c.bucket}" at ${c.endpoint} (${why})`;
  }
  if (status === 412 || code === 'PreconditionFailed') return `${named ? 'the object' : `object "${key ?? '?'}" in bucket "${c.bucket}"`} changed while it was read; run again`;
  if (code === 'NoSuchBucket') return `bucket "${c.bucket}" does not exist at ${c.endpoint}`;
  if (code === 'NoSuchKey' || (status === 404 && key !== undefined)) return named ? 'no such object' : `object "${key ?? '?'}" not found in bucket "${c.bucket}"`;
  if (status === 404) return `bucket "${c.bucket}" does not exist at ${c.endpoint}`;
  const msg = (s.message ?? String(e)).split('\n')[0];
  if (status !== null && status >= 500) return `the server answered HTTP ${status}${code && code !== 'Error' && code !== 'Unknown' ? ` (${code}: ${msg})` : ` (${msg})`}`;
  return `${code && code !== 'Error' ? `${code}: ` : ''}${msg}${status ? ` (HTTP ${status})` : ''}`;
}

/**
 * One line naming the connection, and (for a store) the request and its retries, for the
 * errors a user can act on: the endpoint cannot be reached, the connection dropped mid-
 * download, the credentials are refused, the bucket or the key does not exist, the server
 * kept failing.
 */
export function describeS3Error(e: unknown, c: S3ErrorContext): WeirError {
  if (e instanceof WeirError) return e;
  const where = `connection "${c.connection}"`;
  const request = c.operation ? describeOperation(e) : null;
  const note = c.operation ? retriesNote(c.retries ?? 0) : '';
  const head = request ? `${where}: ${request} failed${note}` : note ? `${where}: failed${note}` : where;
  return new WeirError('connection', `${head}: ${cause(e, c, request !== null)}`);
}
