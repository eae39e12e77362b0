import { join } from 'node:path';

/**
 * Where run records go, by workspace root. Its own module so that readers such as
 * `weir audit verify` get the path without loading run-record.ts (which loads DuckDB).
 */
export function runsDirAt(workspaceRoot: string): string {
  return join(workspaceRoot, '.weir', 'runs');
}
