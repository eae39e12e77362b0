import { createHash } from 'node:crypto';
import { nodeKeyText, type NodeKeyParts } from '../../../shared/pipeline/node-key';

/** What a stored result is keyed by: a node's key parts (shared/pipeline/node-key.ts) and the engine that made it. */
export type CacheKeyParts = NodeKeyParts & { engine: string };

/**
 * A node's result is fully determined by its kind, config (SQL included), parameters,
 * its inputs' keys and, for sources, the versions of what it reads: the hash of the one
 * text of those parts that the designer's live preview compares too.
 */
export function nodeCacheKey(parts: CacheKeyParts): string {
  return createHash('sha256').update(nodeKeyText(parts)).digest('hex');
}
