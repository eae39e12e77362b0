import { CHECKPOINT_THRESHOLD } from './storage-settings';
import { DuckDBInstance, version as duckdbVersionFn } from '@duckdb/node-api';
import { literal } from './sql';

/** Hands out a DuckDB instance locked to exactly these folders (the EngineContext's `duckdb`). */
export type DuckdbFactory = (allowed: readonly string[]) => Promise<DuckDBInstance>;

/**
 * DuckDB instances, each locked to the folders it may touch (DESIGN, "Security"). DuckDB's
 * `allowed_directories` is a setting of the whole instance, so there is one instance per set
 * of folders: in practice one per workspace (the CLI and the browser shell serve one; the
 * desktop app opens a new one when the user switches workspace). Runs and previews each take
 * their own connection and their own in-memory catalog inside it.
 *
 * Once configured, an instance is locked: external access off except the allowed folders, no
 * extension install or autoload, and `lock_configuration`, so that no SQL can change any of it.
 */

/** DuckDB's memory and spill bounds in bytes; null leaves DuckDB's own (80 % of RAM; 90 % of the spill disk's free space). */
export interface InstanceBounds {
  memoryBytes: number | null;
  maxSpillBytes: number | null;
}

/** The desktop app may switch workspaces many times; older instances are let go. */
const MAX_INSTANCES = 3;

/**
 * The factory an engine context holds (context/index.ts): the instance allowed to read and write
 * exactly `allowed` (absolute folders; DuckDB spills into `spillDir` whatever they are), made
 * on first use and kept while it is one of the last few used. An empty list gives an instance
 * that touches no file.
 */
export function lockedInstances(spillDir: string, bounds: InstanceBounds = { memoryBytes: null, maxSpillBytes: null }): DuckdbFactory {
  const instances = new Map<string, Promise<DuckDBInstance>>();
  return (allowed) => {
    const dirs = [...new Set(allowed.map((d) => (d.endsWith('/') ? d : `${d}/`)))].sort();
    const key = dirs.join('\0');
    let found = instances.get(key);
    if (found) {
      // Most recently used last, so the oldest is the one let go.
      instances.delete(key);
      instances.set(key, found);
      return found;
    }
    found = createLocked(dirs, spillDir, bounds).catch((e: unknown) => {
      instances.delete(key);
      throw e;
    });
    instances.set(key, found);
    while (instances.size > MAX_INSTANCES) {
      const oldest = instances.keys().next().value as string;
      // Connections still open keep the instance alive; it is freed when they close.
      instances.delete(oldest);
    }
    return found;
  };
}


async function createLocked(dirs: readonly string[], spillDir: string, bounds: InstanceBounds): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:', {
    temp_directory: spillDir,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    checkpoint_threshold: CHECKPOINT_THRESHOLD,
    // Locked below like the rest: no node can raise them (and SET is refused by the sandbox anyway).
    ...(bounds.memoryBytes ? { memory_limit: `${Math.max(1, Math.floor(bounds.memoryBytes / 1024))}KiB` } : {}),
    ...(bounds.maxSpillBytes ? { max_temp_directory_size: `${Math.max(1, Math.floor(bounds.maxSpillBytes / 1024))}KiB` } : {}),
  });
  const conn = await instance.connect();
  try {
    await conn.run(`SET allowed_directories = [${dirs.map(literal).join(', ')}]`);
    await conn.run('SET enable_external_access = false');
    await conn.run('SET lock_configuration = true');
  } finally {
    conn.closeSync();
  }
  return instance;
}

/** The facts a locked instance reports about itself, for tests and `weir doctor`-style checks. */
export async function lockState(instance: DuckDBInstance): Promise<Record<string, string>> {
  const conn = await instance.connect();
  try {
    const names = ['allowed_directories', 'enable_external_access', 'lock_configuration', 'autoinstall_known_extensions', 'autoload_known_extensions', 'checkpoint_threshold', 'memory_limit', 'max_temp_directory_size'];
    const reader = await conn.runAndReadAll(`SELECT name, value FROM duckdb_settings() WHERE name IN (${names.map(literal).join(', ')})`);
    return Object.fromEntries(reader.getRows().map((r) => [String(r[0]), String(r[1])]));
  } finally {
    conn.closeSync();
  }
}

export function duckdbVersion(): string {
  return duckdbVersionFn();
}
