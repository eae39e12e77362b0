import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

let instance: Promise<DuckDBInstance> | null = null;

/**
 * A plain, unlocked DuckDB connection for tests that read what a run wrote (Parquet, CSV) to
 * check it. The engine's own instances are locked to their workspace (sandbox); a test's
 * reading of outputs is not the engine and must not depend on that lock.
 */
export async function testConnection(): Promise<DuckDBConnection> {
  instance ??= DuckDBInstance.create(':memory:');
  return (await instance).connect();
}
