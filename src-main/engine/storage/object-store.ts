/** One object as a listing or an upload reports it. Keys are relative to the connection's root. */
export interface ObjectInfo {
  key: string;
  size: number;
  /** Opaque: compared, never parsed (S3 multipart ETags and MinIO's differ in shape). */
  etag: string;
  versionId?: string;
}

export interface TransferOptions {
  signal?: AbortSignal;
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
  list(prefix: string, o?: TransferOptions): Promise<ObjectInfo[]>;
  /** A small object's bytes (a manifest), or null when there is no such key. */
  getBytes(key: string, o?: TransferOptions): Promise<{ body: Buffer; info: ObjectInfo } | null>;
  /** Writes a small object in one request: readers see the old or the new bytes, never a mix. */
  putBytes(key: string, body: Buffer, o?: TransferOptions): Promise<ObjectInfo>;
  /** Uploads a local file (multipart when large); nothing is visible under `key` unless it completes. */
  putFile(key: string, path: string, o?: TransferOptions): Promise<ObjectInfo>;
  /** Downloads an object to `dest` (ranged parts in parallel when large); returns the VersionId seen. */
  download(info: ObjectInfo, dest: string, o?: TransferOptions): Promise<{ versionId?: string }>;
  delete(keys: readonly string[], o?: TransferOptions): Promise<void>;
}
