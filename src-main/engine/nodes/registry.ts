import { nodeKinds, type ConfigOfKind, type NodeKindName } from '../../../shared/nodes/kinds';
import { kindRegistry, type KindRegistry } from '../../../shared/nodes/registry';
import { aggregateRuntime } from './aggregate/runtime';
import { checkRuntime } from './check/runtime';
import { deduplicateRuntime } from './deduplicate/runtime';
import { fileSinkRuntime } from './file-sink/runtime';
import { fileSourceRuntime } from './file-source/runtime';
import { filterRuntime } from './filter/runtime';
import { httpSourceRuntime } from './http-source/runtime';
import { joinRuntime } from './join/runtime';
import { lakeSinkRuntime } from './lake-sink/runtime';
import { lakeSourceRuntime } from './lake-source/runtime';
import { postgresSinkRuntime } from './postgres-sink/runtime';
import { postgresSourceRuntime } from './postgres-source/runtime';
import { seedRuntime } from './seed/runtime';
import { selectRuntime } from './select/runtime';
import { sqlRuntime } from './sql/runtime';
import { unionRuntime } from './union/runtime';
import type { NodeRuntime } from './types';

/**
 * The engine half of every kind in shared/nodes/kinds.ts, one per folder here. The type asks
 * for exactly one runtime per defined kind, each of that kind: a kind without a runtime, or a
 * runtime under another kind's name, does not compile.
 */
type Runtimes = { readonly [K in NodeKindName]: NodeRuntime<ConfigOfKind<K>> & { kind: K } };

const runtimes: Runtimes = {
  file_source: fileSourceRuntime,
  lake_source: lakeSourceRuntime,
  http_source: httpSourceRuntime,
  seed: seedRuntime,
  postgres_source: postgresSourceRuntime,
  sql: sqlRuntime,
  filter: filterRuntime,
  select: selectRuntime,
  join: joinRuntime,
  aggregate: aggregateRuntime,
  union: unionRuntime,
  deduplicate: deduplicateRuntime,
  check: checkRuntime,
  file_sink: fileSinkRuntime,
  postgres_sink: postgresSinkRuntime,
  lake_sink: lakeSinkRuntime,
};

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

const registry = runtimeRegistry(kindRegistry(nodeKinds), Object.values(runtimes));

export function nodeRuntime(kind: string): NodeRuntime<unknown> {
  const r = registry.get(kind);
  if (!r) throw new Error(`no runtime for node kind "${kind}"`);
  return r;
}

export function runtimeKinds(): string[] {
  return registry.kinds();
}
