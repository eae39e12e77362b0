import { closeObjectStore, openObjectStore } from '../../storage/open-store';
import type { ObjectStore } from '../../storage/object-store';
import { connectionSpecFor, resolveConnection, type SecretLookup, type Workspace } from '../../workspace/workspace';
import { readAuditConfig } from './config';
import { lakeReader, mirrorToLake, type LakeTrailOptions, type LakeTrailReader } from './lake-mirror';

export interface AuditLake {
  store: ObjectStore;
  options: LakeTrailOptions;
  reader: LakeTrailReader;
  close(): void;
}

/** The lake trail weir.audit.json names, opened with the workspace's connection; null when there is none. */
export async function openAuditLake(ws: Workspace, lookup: SecretLookup): Promise<AuditLake | null> {
  const config = await readAuditConfig(ws.root);
  if (!config.lake) return null;
  const l = config.lake;
  const name = l.connection;
  const spec = resolveConnection(name, connectionSpecFor(ws, l.environment ?? ws.file.default_environment, name), lookup);
  const store = await openObjectStore(name, spec, { workspaceRoot: ws.root });
  const options: LakeTrailOptions = { prefix: l.prefix, conditionalWrites: l.conditionalWrites, ...(l.objectLockDays ? { objectLockDays: l.objectLockDays } : {}) };
  return { store, options, reader: lakeReader(store, l.prefix), close: () => closeObjectStore(store) };
}

/** Mirrors what the lake trail lacks; returns how many entries were written (0 without a lake trail). */
export async function syncAuditLake(ws: Workspace, lookup: SecretLookup): Promise<number> {
  const lake = await openAuditLake(ws, lookup);
  if (!lake) return 0;
  try {
    return await mirrorToLake(ws.root, lake.store, lake.options);
  } finally {
    lake.close();
  }
}
