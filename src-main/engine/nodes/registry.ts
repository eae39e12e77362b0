import { nodeKinds, type ConfigOfKind, type NodeKindName } from '../../../shared/nodes/kinds';
import { kindRegistry, type KindRegistry } from '../../../shared/nodes/registry';
import { runtimes } from './runtimes.generated';
import type { NodeRuntime } from './types';

/**
 * The engine half of every kind of shared/nodes/kinds.ts: exactly one runtime per defined kind,
 * each of that kind. runtimes.generated.ts (written by `npm run kinds` from the folders here)
 * is checked against this type: a kind without a runtime, or a runtime under another kind's
 * name, does not compile.
 */
export type Runtimes = { readonly [K in NodeKindName]: NodeRuntime<ConfigOfKind<K>> & { kind: K } };

/** The runtimes of a set of kinds, by kind; the app's is built from kinds.ts, a test may build its own. */
export interface RuntimeRegistry {
  get(kind: string): NodeRuntime<unknown> | undefined;
  kinds(): string[];
}

/**
 * Pairs every kind of `kinds` with its one runtime, made against that very definition; throws a
 * one-line error naming the kind that has none, two, or a runtime of a definition not in `kinds`.
 */
export function runtimeRegistry(kinds: KindRegistry, list: readonly NodeRuntime<unknown>[]): RuntimeRegistry {
  const byKind = new Map<string, NodeRuntime<unknown>>();
  for (const r of list) {
    if (byKind.has(r.kind)) throw new Error(`node kind "${r.kind}" has two runtimes`);
    if (kinds.get(r.kind) !== r.definition) throw new Error(`the runtime of "${r.kind}" is not made from its kind's definition (defineNodeRuntime)`);
    byKind.set(r.kind, r);
  }
  for (const k of kinds.kinds) if (!byKind.has(k.kind)) throw new Error(`node kind "${k.kind}" has no runtime in src-main/engine/nodes/`);
  return { get: (kind) => byKind.get(kind), kinds: () => [...byKind.keys()] };
}

// In palette order, as the kinds are.
const registry = runtimeRegistry(kindRegistry(nodeKinds), nodeKinds.map((k) => runtimes[k.kind]));

export function nodeRuntime(kind: string): NodeRuntime<unknown> {
  const r = registry.get(kind);
  if (!r) throw new Error(`no runtime for node kind "${kind}"`);
  return r;
}

export function runtimeKinds(): string[] {
  return registry.kinds();
}
