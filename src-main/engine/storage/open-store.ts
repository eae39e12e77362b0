import { WeirError } from '../../../shared/errors';
import type { ConnectionSpec } from '../../../shared/workspace/schema';
import { FolderObjectStore, folderRoot } from './folder-store';
import type { ObjectStore } from './object-store';
import { S3ObjectStore, type S3StoreTuning } from './s3-store';

export interface OpenStoreOptions {
  workspaceRoot: string;
  /** For tests and benchmarks: smaller parts, fewer retries. */
  s3Tuning?: Partial<S3StoreTuning>;
}

/** The object store behind a named (resolved) connection of kind folder or s3. */
export function openObjectStore(name: string, spec: ConnectionSpec, o: OpenStoreOptions): ObjectStore {
  switch (spec.kind) {
    case 'folder':
      return new FolderObjectStore(name, folderRoot(o.workspaceRoot, spec.path));
    case 's3':
      if (!spec.bucket) throw new WeirError('invalid', `connection "${name}": no bucket given`);
      return new S3ObjectStore(name, spec, o.s3Tuning);
    default:
      throw new WeirError('invalid', `connection "${name}" is a ${spec.kind} connection; a lake node needs a folder or s3 connection`);
  }
}

/** Closes a store's sockets when it has any. */
export function closeObjectStore(store: ObjectStore): void {
  if (store instanceof S3ObjectStore) store.destroy();
}
