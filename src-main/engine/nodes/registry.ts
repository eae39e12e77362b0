import type { NodeRuntime } from './types';
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

/** Every node kind the engine runs; one entry per folder in this directory. */
const runtimes: NodeRuntime<never>[] = [
  fileSourceRuntime as NodeRuntime<never>,
  lakeSourceRuntime as NodeRuntime<never>,
  httpSourceRuntime as NodeRuntime<never>,
  seedRuntime as NodeRuntime<never>,
  postgresSourceRuntime as NodeRuntime<never>,
  sqlRuntime as NodeRuntime<never>,
  filterRuntime as NodeRuntime<never>,
  selectRuntime as NodeRuntime<never>,
  joinRuntime as NodeRuntime<never>,
  aggregateRuntime as NodeRuntime<never>,
  unionRuntime as NodeRuntime<never>,
  deduplicateRuntime as NodeRuntime<never>,
  checkRuntime as NodeRuntime<never>,
  fileSinkRuntime as NodeRuntime<never>,
  postgresSinkRuntime as NodeRuntime<never>,
  lakeSinkRuntime as NodeRuntime<never>,
];

const byKind = new Map(runtimes.map((r) => [r.kind, r]));

export function nodeRuntime(kind: string): NodeRuntime<unknown> {
  const r = byKind.get(kind);
  if (!r) throw new Error(`no runtime for node kind "${kind}"`);
  return r as NodeRuntime<unknown>;
}

export function runtimeKinds(): string[] {
  return [...byKind.keys()];
}
