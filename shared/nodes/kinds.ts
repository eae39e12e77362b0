import type { z } from 'zod';
import { aggregateKind } from './aggregate';
import { checkKind } from './check';
import { deduplicateKind } from './deduplicate';
import { fileSinkKind } from './file-sink';
import { fileSourceKind } from './file-source';
import { filterKind } from './filter';
import { httpSourceKind } from './http-source';
import { joinKind } from './join';
import { lakeSinkKind } from './lake-sink';
import { lakeSourceKind } from './lake-source';
import { postgresSinkKind } from './postgres-sink';
import { postgresSourceKind } from './postgres-source';
import { seedKind } from './seed';
import { selectKind } from './select';
import { sqlKind } from './sql';
import { unionKind } from './union';

/**
 * Every node kind, one entry per folder in this directory, in palette order (sources,
 * transforms, checks, sinks). The shared registry (registry.ts) and the engine's runtimes
 * (src-main/engine/nodes/runtimes.ts, whose type demands one runtime per entry) derive from it.
 */
export const nodeKinds = [
  fileSourceKind,
  lakeSourceKind,
  httpSourceKind,
  seedKind,
  postgresSourceKind,
  sqlKind,
  filterKind,
  selectKind,
  joinKind,
  aggregateKind,
  unionKind,
  deduplicateKind,
  checkKind,
  fileSinkKind,
  postgresSinkKind,
  lakeSinkKind,
] as const;

export type AnyNodeKind = (typeof nodeKinds)[number];
export type NodeKindName = AnyNodeKind['kind'];
/** The parsed config of the kind named `K`. */
export type ConfigOfKind<K extends NodeKindName> = z.output<Extract<AnyNodeKind, { kind: K }>['config']>;
