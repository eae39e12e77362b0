import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, version as duckdbVersionFn } from '@duckdb/node-api';

let shared: Promise<DuckDBInstance> | null = null;

/**
 * One DuckDB instance per process (DESIGN). Runs and previews each take their own
 * connection and their own in-memory catalog, so they never see each other's tables.
 */
export function duckdb(): Promise<DuckDBInstance> {
  shared ??= DuckDBInstance.create(':memory:', {
    // Large intermediate results spill here instead of failing on memory.
    temp_directory: process.env.WEIR_DUCKDB_TEMP ?? join(tmpdir(), `weir-duckdb-${process.pid}`),
  }).catch((e: unknown) => {
    shared = null;
    throw e;
  });
  return shared;
}

export function duckdbVersion(): string {
  return duckdbVersionFn();
}
