import { join } from 'node:path';
import { privatePath } from '../host/private-folder';

/**
 * Where run records go, by workspace root. Its own module so that readers such as
 * `weir audit verify` get the path without loading run-record.ts (which loads DuckDB).
 */
export function runsDirAt(workspaceRoot: string): string {
  return privatePath(workspaceRoot, 'runs');
}
