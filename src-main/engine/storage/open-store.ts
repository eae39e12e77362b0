import { WeirError } from '../../../shared/errors';
import type { ConnectionSpec, ConnectionSpecOf } from '../../../shared/connections/kinds';
import { FolderObjectStore, folderRoot } from './folder-store';
import type { ObjectStore } from './object-store';
import type { S3StoreTuning } from './s3-store';

export interface OpenStoreOptions {
  workspaceRoot: string;
  /** For tests and benchmarks: smaller parts, fewer retries. */
  s3Tuning?: Partial<S3StoreTuning>;
}

/** A folder connection's store (the engine half of the folder kind opens it: engine/connections/folder). */
export async function openFolderStore(name: string, spec: ConnectionSpecOf<'folder'>, o: OpenStoreOptions): Promise<ObjectStore> {
  return new FolderObjectStore(name, folderRoot(o.workspaceRoot, spec.path));
}

/**
 * An S3 connection's store. It (and the AWS SDK, a fifth of a second to load) is loaded only
 * when a run uses S3.
 */
export async function openS3Store(name: string, spec: ConnectionSpecOf<'s3'>, o: OpenStoreOptions): Promise<ObjectStore> {
  if (!spec.bucket) throw new WeirError('invalid', `connection "${name}": no bucket given`);
  return new (await import('./s3-store')).S3ObjectStore(name, spec, o.s3Tuning);
}

/**
 * The object store behind a named (resolved) connection of a lake kind. The kinds are those
 * whose engine half provides an object store (engine/connections/runtimes.ts: a test keeps the
 * two alike; storage does not import connections, which builds on it).
 */
export async function openObjectStore(name: string, spec: ConnectionSpec, o: OpenStoreOptions): Promise<ObjectStore> {
  if (spec.kind === 'folder') return openFolderStore(name, spec, o);
  if (spec.kind === 's3') return openS3Store(name, spec, o);
  throw new WeirError('invalid', `connection "${name}" is a ${spec.kind} connection; a lake node needs a folder or s3 connection`);
}

/** Closes a store's sockets when it has any. */
export function closeObjectStore(store: ObjectStore): void {
  if ('destroy' in store && typeof store.destroy === 'function') store.destroy();
}
