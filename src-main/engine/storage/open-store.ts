import { WeirError } from '../../../shared/errors';
import type { ConnectionSpec } from '../../../shared/workspace/schema';
import { FolderObjectStore, folderRoot } from './folder-store';
import type { ObjectStore } from './object-store';
import type { S3StoreTuning } from './s3-store';

export interface OpenStoreOptions {
  workspaceRoot: string;
  /** For tests and benchmarks: smaller parts, fewer retries. */
  s3Tuning?: Partial<S3StoreTuning>;
}

/**
 * The object store behind a named (resolved) connection of kind folder or s3. The S3 store
 * (and the AWS SDK, a fifth of a second to load) is loaded only when a run uses S3.
 */
export async function openObjectStore(name: string, spec: ConnectionSpec, o: OpenStoreOptions): Promise<ObjectStore> {
  switch (spec.kind) {
    case 'folder':
      return new FolderObjectStore(name, folderRoot(o.workspaceRoot, spec.path));
    case 's3':
      if (!spec.bucket) throw new WeirError('invalid', `connection "${name}": no bucket given`);
      return new (await import('./s3-store')).S3ObjectStore(name, spec, o.s3Tuning);
    default:
      throw new WeirError('invalid', `connection "${name}" is a ${spec.kind} connection; a lake node needs a folder or s3 connection`);
  }
}

/** Closes a store's sockets when it has any. */
export function closeObjectStore(store: ObjectStore): void {
  if ('destroy' in store && typeof store.destroy === 'function') store.destroy();
}
