import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat, readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { WeirError } from '../../../shared/errors';
import { normalizePrefix } from './glob';
import { PreconditionFailed, type ObjectInfo, type ObjectStore, type PendingUpload, type PutOptions, type TransferOptions } from './object-store';
import { mapLimit } from './parallel';
import { RETRY_DEFAULTS, cancelled, withRetry } from './retry';
import { createS3Client, type S3ConnectionSpec } from './s3-client';
import { describeOperation, describeS3Error, displayEndpoint, httpStatusOf, isRetryableS3Error, markOperation, readingBody, retryReason } from './s3-errors';

const MiB = 1024 * 1024;

export interface S3StoreTuning {
  /** Objects larger than this download as parallel ranged GETs. */
  rangeThreshold: number;
  rangePartSize: number;
  /** Files larger than this upload as a multipart upload. */
  multipartThreshold: number;
  /** At least 5 MiB on AWS and MinIO (except the last part). */
  partSize: number;
  /** Parts in flight per object. */
  partConcurrency: number;
  /** Keys per listing request (S3's maximum is 1000). */
  listPageSize: number;
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  /** Told of every retry, in one line (the lake nodes make it a warning and count it in the run record). */
  onRetry?: (message: string) => void;
}

export const S3_TUNING_DEFAULTS: S3StoreTuning = {
  // Objects are already fetched 8 at a time; splitting ones below this into ranged parts
  // only added requests: 0.71x plain GetObject on a loopback server, 1.02x whole
  // (figure 5 of `npm run bench`). Ranges pay off where one object dominates a download.
  rangeThreshold: 64 * MiB,
  rangePartSize: 8 * MiB,
  multipartThreshold: 16 * MiB,
  partSize: 8 * MiB,
  partConcurrency: 4,
  listPageSize: 1000,
  retry: RETRY_DEFAULTS,
};

function errorCode(e: unknown): string {
  const s = (e && typeof e === 'object' ? e : {}) as { Code?: string; name?: string };
  return s.Code ?? s.name ?? '';
}

/** A conditional write refused (409 is AWS's answer to two conditional writes racing). */
function isPreconditionFailure(e: unknown): boolean {
  return httpStatusOf(e) === 412 || ['PreconditionFailed', 'ConditionalRequestConflict'].includes(errorCode(e));
}

function isNotImplemented(e: unknown): boolean {
  return httpStatusOf(e) === 501 || errorCode(e) === 'NotImplemented';
}

/** Up to 10,000 parts per upload: large files get larger parts. */
function partSizeFor(size: number, min: number): number {
  return Math.max(min, Math.ceil(size / 10_000));
}

export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly scope: string;
  private readonly root: string;
  private readonly endpoint: string;
  private readonly tuning: S3StoreTuning;
  /** Whether to send If-Match / If-None-Match on PUT; false once the server answered 501 to them. */
  private conditionalPuts = true;

  constructor(
    readonly connection: string,
    private readonly spec: S3ConnectionSpec,
    tuning: Partial<S3StoreTuning> = {},
    private readonly client: S3Client = createS3Client(spec, connection),
  ) {
    this.root = normalizePrefix(spec.root);
    this.endpoint = displayEndpoint(spec.endpoint);
    this.scope = `${this.endpoint}/${spec.bucket}`;
    const fromSpec: Partial<S3StoreTuning> = {};
    if (spec.multipart_threshold_mb) fromSpec.multipartThreshold = fromSpec.rangeThreshold = Math.round(spec.multipart_threshold_mb * MiB);
    if (spec.part_size_mb) fromSpec.partSize = fromSpec.rangePartSize = Math.round(spec.part_size_mb * MiB);
    this.tuning = { ...S3_TUNING_DEFAULTS, ...fromSpec, ...tuning };
  }

  private get bucket(): string {
    return this.spec.bucket;
  }

  uri(key: string): string {
    return `s3://${this.bucket}/${this.root}${key}`;
  }

  private fail(e: unknown, key?: string, retries = 0): WeirError {
    return describeS3Error(e, { connection: this.connection, bucket: this.bucket, endpoint: this.endpoint, ...(key !== undefined ? { key: this.root + key } : {}), operation: true, retries });
  }

  /** One request with our retries; errors come out as one line naming the connection. */
  private async call<T>(what: (signal: AbortSignal | undefined) => Promise<T>, o: TransferOptions, key?: string): Promise<T> {
    let retries = 0;
    const onRetry = (e: unknown, attempt: number, delay: number) => {
      retries = attempt;
      this.tuning.onRetry?.(`connection "${this.connection}": ${describeOperation(e) ?? 'request'}: ${retryReason(e)}, retry ${attempt} of ${this.tuning.retry.attempts - 1} in ${delay} ms`);
    };
    try {
      return await withRetry(() => what(o.signal), { ...this.tuning.retry, signal: o.signal, retryable: isRetryableS3Error, onRetry });
    } catch (e) {
      if (o.signal?.aborted) throw cancelled();
      throw this.fail(e, key, retries);
    }
  }

  async list(prefix: string, o: TransferOptions = {}): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(
        (abortSignal) => this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.root + prefix, ContinuationToken: token, MaxKeys: this.tuning.listPageSize }), { abortSignal }),
        o,
      );
      for (const c of page.Contents ?? []) {
        if (!c.Key || c.Key.endsWith('/')) continue; // folder placeholders
        out.push({ key: c.Key.slice(this.root.length), size: Number(c.Size ?? 0), etag: c.ETag ?? '', ...(c.LastModified ? { modifiedMs: c.LastModified.getTime() } : {}) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async getBytes(key: string, o: TransferOptions = {}): Promise<{ body: Buffer; info: ObjectInfo } | null> {
    return this.call(async (abortSignal) => {
      let res;
      try {
        res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.root + key }), { abortSignal });
      } catch (e) {
        if ((e as { name?: string }).name === 'NoSuchKey') return null;
        throw e;
      }
      const body = Buffer.from(await readingBody(res.Body!.transformToByteArray(), this.bucket, this.root + key));
      const info: ObjectInfo = { key, size: body.length, etag: res.ETag ?? '', ...(res.VersionId ? { versionId: res.VersionId } : {}) };
      return { body, info };
    }, o, key);
  }

  /**
   * One PUT. With `ifMatch` it is conditional (If-Match, or If-None-Match: * for "no object
   * yet"): AWS S3 and MinIO enforce it; a server that answers 501 gets the write without the
   * condition from then on, and the result says `conditional: false`.
   */
  async putBytes(key: string, body: Buffer, o: PutOptions = {}): Promise<ObjectInfo & { conditional?: boolean }> {
    const conditional = o.ifMatch !== undefined && this.conditionalPuts;
    const condition = !conditional ? {} : o.ifMatch === null ? { IfNoneMatch: '*' } : { IfMatch: o.ifMatch };
    const retention = o.objectLock ? { ObjectLockMode: 'COMPLIANCE' as const, ObjectLockRetainUntilDate: new Date(Date.now() + o.objectLock.days * 86_400_000) } : {};
    const res = await this.call(
      async (abortSignal) => {
        try {
          return await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.root + key, Body: body, ContentLength: body.length, ...condition, ...retention }), { abortSignal });
        } catch (e) {
          if (conditional && isPreconditionFailure(e)) throw new PreconditionFailed(this.connection, this.root + key);
          if (conditional && isNotImplemented(e)) return null;
          throw e;
        }
      },
      o,
      key,
    );
    if (!res) {
      this.conditionalPuts = false;
      return this.putBytes(key, body, o);
    }
    return {
      key,
      size: body.length,
      etag: res.ETag ?? '',
      ...(res.VersionId ? { versionId: res.VersionId } : {}),
      ...(o.ifMatch !== undefined ? { conditional } : {}),
    };
  }

  async putFile(key: string, path: string, o: TransferOptions = {}): Promise<ObjectInfo> {
    const { size } = await stat(path);
    if (size <= this.tuning.multipartThreshold) return this.putBytes(key, await readFile(path), o);
    return this.putMultipart(key, path, size, o);
  }

  /**
   * A multipart upload: nothing is visible under the key until Complete. On failure or
   * cancel the upload is aborted so the parts do not linger (and cost) on the server.
   */
  private async putMultipart(key: string, path: string, size: number, o: TransferOptions): Promise<ObjectInfo> {
    const fullKey = this.root + key;
    const created = await this.call(
      (abortSignal) => this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: fullKey }), { abortSignal }),
      o,
      key,
    );
    const uploadId = created.UploadId!;
    const partSize = partSizeFor(size, this.tuning.partSize);
    const count = Math.ceil(size / partSize);
    const fh = await open(path, 'r');
    try {
      const parts = await mapLimit(
        Array.from({ length: count }, (_, i) => i),
        this.tuning.partConcurrency,
        async (i) => {
          if (o.signal?.aborted) throw cancelled();
          const start = i * partSize;
          const len = Math.min(partSize, size - start);
          const buf = Buffer.alloc(len);
          await fh.read(buf, 0, len, start);
          const res = await this.call(
            (abortSignal) =>
              this.client.send(
                new UploadPartCommand({ Bucket: this.bucket, Key: fullKey, UploadId: uploadId, PartNumber: i + 1, Body: buf, ContentLength: len }),
                { abortSignal },
              ),
            o,
            key,
          );
          return { PartNumber: i + 1, ETag: res.ETag };
        },
      );
      const done = await this.call(
        (abortSignal) =>
          this.client.send(
            new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: fullKey, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
            { abortSignal },
          ),
        o,
        key,
      );
      return { key, size, etag: done.ETag ?? '', ...(done.VersionId ? { versionId: done.VersionId } : {}) };
    } catch (e) {
      // Not with the run's signal: it may be the abort that brought us here.
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: fullKey, UploadId: uploadId })).catch(() => {});
      throw o.signal?.aborted ? cancelled() : e;
    } finally {
      await fh.close();
    }
  }

  async download(info: ObjectInfo, dest: string, o: TransferOptions = {}): Promise<{ versionId?: string }> {
    const tmp = `${dest}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
    try {
      const got = info.size > this.tuning.rangeThreshold ? await this.downloadRanged(info, tmp, o) : await this.downloadWhole(info, tmp, o);
      const { size } = await stat(tmp);
      if (size !== info.size) {
        throw new WeirError('connection', `connection "${this.connection}": object "${this.root + info.key}" changed while it was read (${size} bytes, expected ${info.size})`);
      }
      await rename(tmp, dest);
      return got;
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  /**
   * One GET for the whole object. It asks for the listed ETag (If-Match) like the ranged
   * parts do: an object replaced since the listing fails the read (412, "changed while it
   * was read") instead of being cached under the old ETag.
   */
  private async downloadWhole(info: ObjectInfo, tmp: string, o: TransferOptions): Promise<{ versionId?: string }> {
    return this.call(async (abortSignal) => {
      const res = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.root + info.key,
          ...(info.etag ? { IfMatch: info.etag } : {}),
          ...(info.versionId ? { VersionId: info.versionId } : {}),
        }),
        { abortSignal },
      );
      // A retry starts the file again from the beginning.
      await readingBody(pipeline(res.Body as Readable, createWriteStream(tmp), ...(abortSignal ? [{ signal: abortSignal }] : [])), this.bucket, this.root + info.key);
      return res.VersionId ? { versionId: res.VersionId } : {};
    }, o, info.key);
  }

  /**
   * Parallel ranged GETs into one pre-sized file. Every part asks for the listed ETag
   * (If-Match) so a concurrent overwrite fails the download instead of mixing versions.
   */
  private async downloadRanged(info: ObjectInfo, tmp: string, o: TransferOptions): Promise<{ versionId?: string }> {
    const partSize = this.tuning.rangePartSize;
    const count = Math.ceil(info.size / partSize);
    const fh = await open(tmp, 'w');
    let versionId = info.versionId;
    try {
      await fh.truncate(info.size);
      await mapLimit(
        Array.from({ length: count }, (_, i) => i),
        this.tuning.partConcurrency,
        async (i) => {
          const start = i * partSize;
          const end = Math.min(info.size, start + partSize) - 1;
          await this.call(async (abortSignal) => {
            const res = await this.client.send(
              new GetObjectCommand({
                Bucket: this.bucket,
                Key: this.root + info.key,
                Range: `bytes=${start}-${end}`,
                ...(info.etag ? { IfMatch: info.etag } : {}),
                ...(info.versionId ? { VersionId: info.versionId } : {}),
              }),
              { abortSignal },
            );
            const bytes = await readingBody(res.Body!.transformToByteArray(), this.bucket, this.root + info.key);
            if (bytes.length !== end - start + 1) {
              throw markOperation(Object.assign(new Error(`short range read (${bytes.length} of ${end - start + 1} bytes)`), { code: 'ECONNRESET' }), { op: 'GET', bucket: this.bucket, key: this.root + info.key, midDownload: true });
            }
            await fh.write(bytes, 0, bytes.length, start);
            if (res.VersionId) versionId ??= res.VersionId;
          }, o, info.key);
        },
      );
    } finally {
      await fh.close();
    }
    return versionId ? { versionId } : {};
  }

  async delete(keys: readonly string[], o: TransferOptions = {}): Promise<void> {
    // One DeleteObject per key: DeleteObjects needs a Content-MD5 or checksum some servers reject.
    await mapLimit(keys, 8, (key) =>
      this.call((abortSignal) => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.root + key }), { abortSignal }), o, key),
    );
  }

  /** ListMultipartUploads, page by page; null where the server does not implement it (s3rver). */
  async listUploads(prefix: string, o: TransferOptions = {}): Promise<PendingUpload[] | null> {
    const out: PendingUpload[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.call(async (abortSignal) => {
        try {
          return await this.client.send(
            new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.root + prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
            { abortSignal },
          );
        } catch (e) {
          if (isNotImplemented(e)) return null;
          throw e;
        }
      }, o);
      if (!page) return null;
      for (const u of page.Uploads ?? []) {
        if (!u.Key || !u.UploadId) continue;
        out.push({ key: u.Key.slice(this.root.length), uploadId: u.UploadId, ...(u.Initiated ? { initiatedMs: u.Initiated.getTime() } : {}) });
      }
      if (!page.IsTruncated) return out;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  }

  async abortUpload(upload: PendingUpload, o: TransferOptions = {}): Promise<void> {
    await this.call(async (abortSignal) => {
      try {
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.root + upload.key, UploadId: upload.uploadId }), { abortSignal });
      } catch (e) {
        if (errorCode(e) !== 'NoSuchUpload') throw e; // already completed or aborted
      }
    }, o, upload.key);
  }

  destroy(): void {
    this.client.destroy();
  }
}

