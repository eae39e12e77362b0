import type { ConfigOfKind, NodeKindName } from '../../../shared/nodes/kinds';
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

const byKind = new Map<string, NodeRuntime<unknown>>(Object.values(runtimes).map((r) => [r.kind, r]));

export function nodeRuntime(kind: string): NodeRuntime<unknown> {
  const r = byKind.get(kind);
  if (!r) throw new Error(`no runtime for node kind "${kind}"`);
  return r;
}

export function runtimeKinds(): string[] {
  return [...byKind.keys()];
}
