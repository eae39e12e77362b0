import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json';

/** Bump when the way results are stored changes, so old entries are never misread. */
const CACHE_FORMAT = 1;

export interface CacheKeyParts {
  kind: string;
  name: string;
  config: unknown;
  /** Upstream keys in input order, with the names the SQL refers to them by. */
  inputs: { name: string; key: string }[];
  params: Record<string, unknown>;
  /** What a source reads (file hashes, ETags); absent for transforms. */
  fingerprint?: string;
  engine: string;
}

/**
 * A node's result is fully determined by its kind, config (SQL included), parameters,
 * its inputs' keys and, for sources, the versions of what it reads.
 */
export function nodeCacheKey(parts: CacheKeyParts): string {
  return createHash('sha256').update(canonicalJson({ format: CACHE_FORMAT, ...parts })).digest('hex');
}
