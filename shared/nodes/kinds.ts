import type { z } from 'zod';
import type { NodeCategory } from './define';
import { kindsByFolder } from './kinds.generated';

/** The palette's sections, in order. */
const CATEGORIES: readonly NodeCategory[] = ['source', 'transform', 'check', 'sink'];

/**
 * Kinds in palette order: by category (sources, transforms, checks, sinks), then by the
 * `order` each definition declares (those without one after), then by name.
 */
export function paletteOrder<T extends { kind: string; category: NodeCategory; order?: number }>(kinds: readonly T[]): T[] {
  const rank = (k: T) => [CATEGORIES.indexOf(k.category), k.order ?? Number.MAX_SAFE_INTEGER] as const;
  return [...kinds].sort((a, b) => {
    const [ca, oa] = rank(a);
    const [cb, ob] = rank(b);
    return ca - cb || oa - ob || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
  });
}

/**
 * Every node kind, one per folder in this directory (kinds.generated.ts, written by
 * `npm run kinds` from the folders), in palette order. The shared registry (registry.ts) and
 * the engine's runtimes (src-main/engine/nodes/registry.ts, whose type demands one runtime per
 * kind) derive from it.
 */
export const nodeKinds: readonly AnyNodeKind[] = paletteOrder(kindsByFolder);

export type AnyNodeKind = (typeof kindsByFolder)[number];
export type NodeKindName = AnyNodeKind['kind'];
/** The parsed config of the kind named `K`. */
export type ConfigOfKind<K extends NodeKindName> = z.output<Extract<AnyNodeKind, { kind: K }>['config']>;
