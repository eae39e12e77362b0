import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { InputObject, OutputObject } from '../../../shared/run/record';
import { ident, literal } from '../duckdb/sql';
import { taggedTempPath, touch, writeFileTagged } from '../storage/owner-tag';
import { readRegularText } from '../host/regular-file';

export interface CacheEntry {
  key: string;
  file: string;
  rows: number;
  outputHash: string;
  inputs?: InputObject[];
  createdAt: string;
}

/**
 * What is known of a result without its rows: the row count and hash of a view (cheap to
 * re-create, costly to count again), or what a sink published (a receipt the sink can check
 * against its target to know it is still up to date).
 */
export interface ResultNote {
  key: string;
  form: 'view' | 'receipt';
  rows: number | null;
  outputHash: string | null;
  outputs?: OutputObject[];
  createdAt: string;
}

/**
 * Node results kept as Parquet under `<workspace>/.weir/cache/nodes/`, keyed by the node's
 * cache key. Shared by runs and previews, and by every process using the workspace:
 * entries are written to a temporary name and renamed, so a reader never sees half a file.
 * The temporary name carries the writing process (gc/owner-tag.ts), so a killed writer's
 * half file is known as litter; a lookup that finds an entry marks it used, so the cache is
 * evicted least recently used first (gc/cache-eviction.ts).
 */
export class NodeCache {
  constructor(readonly dir: string) {}

  private paths(key: string) {
    return { data: join(this.dir, `${key}.parquet`), meta: join(this.dir, `${key}.json`) };
  }

  async lookup(key: string): Promise<CacheEntry | null> {
    const { data, meta } = this.paths(key);
    if (!existsSync(data)) return null;
    try {
      const entry = JSON.parse(await readRegularText(meta)) as CacheEntry;
      if (entry.key !== key) return null;
      await touch(meta);
      return { ...entry, file: data };
    } catch {
      return null;
    }
  }

  async store(conn: DuckDBConnection, relation: string, entry: Omit<CacheEntry, 'file' | 'createdAt'>): Promise<void> {
    const { data, meta } = this.paths(entry.key);
    await mkdir(this.dir, { recursive: true });
    // Processes share the cache (the designer and `weir run`): temporary names must not collide.
    const tmp = taggedTempPath(data);
    try {
      await conn.run(`COPY ${ident(relation)} TO ${literal(tmp)} (FORMAT parquet, COMPRESSION 'zstd')`);
      await writeFileTagged(meta, JSON.stringify({ ...entry, createdAt: new Date().toISOString() }));
      await rename(tmp, data);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async lookupNote(key: string, form: ResultNote['form']): Promise<ResultNote | null> {
    const path = join(this.dir, `${key}.${form}.json`);
    try {
      const note = JSON.parse(await readRegularText(path)) as ResultNote;
      if (note.key !== key || note.form !== form) return null;
      await touch(path);
      return note;
    } catch {
      return null;
    }
  }

  async storeNote(note: Omit<ResultNote, 'createdAt'>): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileTagged(join(this.dir, `${note.key}.${note.form}.json`), JSON.stringify({ ...note, createdAt: new Date().toISOString() }));
  }

  /** The statement that makes a cached result appear under the node's name. */
  static viewOver(relation: string, entry: CacheEntry): string {
    return `CREATE OR REPLACE VIEW ${ident(relation)} AS SELECT * FROM read_parquet(${literal(entry.file)})`;
  }
}
