import { WeirError } from '../../../shared/errors';

/** One object as a listing or an upload reports it. Keys are relative to the connection's root. */
export interface ObjectInfo {
  key: string;
  size: number;
  /** Opaque: compared, never parsed (S3 multipart ETags and MinIO's differ in shape). */
  etag: string;
  versionId?: string;
  /** When the object was last written, in ms since the epoch (listings give it). */
  modifiedMs?: number;
}

export interface TransferOptions {
  signal?: AbortSignal;
}

export interface ListOptions extends TransferOptions {
  /**
   * Also list a folder store's half-written temporary files (`*.weir-tmp-*`), which readers
   * never see: for finding what killed runs left behind.
   */
  partial?: boolean;
}

export interface PutOptions extends TransferOptions {
  /**
   * Write only if the object still has this ETag; `null`: only if there is no object. A
   * failed condition throws PreconditionFailed. Where the store cannot enforce conditions
   * (it answers 501 NotImplemented) the write is made without one and the result says
   * `conditional: false`: the caller's own read-and-compare is then the only guard.
   */
  ifMatch?: string | null;
  /** S3 Object Lock retention (COMPLIANCE) for this many days, where the bucket has Object Lock; a folder ignores it. */
  objectLock?: { days: number };
}

/** An unfinished multipart upload: parts stored (and billed) that no object shows. */
export interface PendingUpload {
  key: string;
  uploadId: string;
  /** When it was started, in ms since the epoch, where the store says. */
  initiatedMs?: number;
}

/** A conditional write whose condition did not hold: the object was changed by someone else. */
export class PreconditionFailed extends WeirError {
  constructor(connection: string, key: string) {
    super('connection', `connection "${connection}": object "${key}" was changed by another writer`);
    this.name = 'PreconditionFailed';
  }
}

/**
 * What the lake nodes need from a place that holds objects: an S3 bucket (through
 * @aws-sdk/client-s3) or a local folder. Every error is a one-line WeirError naming the
 * connection.
 */
export interface ObjectStore {
  readonly kind: 's3' | 'folder';
  /** The connection's name, for messages. */
  readonly connection: string;
  /** Identifies the bucket (endpoint + bucket) for cache keys; a folder is not cached. */
  readonly scope: string;
  /** `s3://bucket/root/key` or `file:///abs/path`, for run records. */
  uri(key: string): string;
  /** For a folder: the file to read in place. */
  localPath?(key: string): string;
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix: string, o?: ListOptions): Promise<ObjectInfo[]>;
  /** A small object's bytes (a manifest), or null when there is no such key. */
  getBytes(key: string, o?: TransferOptions): Promise<{ body: Buffer; info: ObjectInfo } | null>;
  /** Writes a small object in one request: readers see the old or the new bytes, never a mix. */
  putBytes(key: string, body: Buffer, o?: PutOptions): Promise<ObjectInfo & { conditional?: boolean }>;
  /** Uploads a local file (multipart when large); nothing is visible under `key` unless it completes. */
  putFile(key: string, path: string, o?: TransferOptions): Promise<ObjectInfo>;
  /** Downloads an object to `dest` (ranged parts in parallel when large); returns the VersionId seen. */
  download(info: ObjectInfo, dest: string, o?: TransferOptions): Promise<{ versionId?: string }>;
  delete(keys: readonly string[], o?: TransferOptions): Promise<void>;
  /**
   * Unfinished multipart uploads under `prefix`, or null when the server cannot list them
   * (s3rver answers 501). Absent where a store has no multipart uploads (a folder).
   */
  listUploads?(prefix: string, o?: TransferOptions): Promise<PendingUpload[] | null>;
  abortUpload?(upload: PendingUpload, o?: TransferOptions): Promise<void>;
}
