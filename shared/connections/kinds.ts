import { z } from 'zod';
import type { ConnectionKind } from './define';
import { folderConnectionKind } from './folder';
import { httpConnectionKind } from './http';
import { postgresConnectionKind } from './postgres';
import { s3ConnectionKind } from './s3';

/**
 * Every connection kind, one folder each in this directory, in the order the designer offers
 * them. The workspace schema, the connections API, the form and the engine's halves
 * (src-main/engine/connections/runtimes.ts, whose type demands one per entry) derive from it.
 */
export const connectionKinds = [folderConnectionKind, s3ConnectionKind, postgresConnectionKind, httpConnectionKind] as const;

export type ConnectionKindName = (typeof connectionKinds)[number]['kind'];

type Schemas<T extends readonly ConnectionKind[]> = { -readonly [I in keyof T]: T[I]['schema'] };

/** One connection of weir.workspace.json: any of the kinds, told apart by `kind`. */
export const connectionSpec = z.discriminatedUnion(
  'kind',
  // map() loses the tuple's element types, which discriminatedUnion needs to type its output.
  connectionKinds.map((k) => k.schema) as unknown as Schemas<typeof connectionKinds>,
);
export type ConnectionSpec = z.infer<typeof connectionSpec>;

/** The spec of one kind, as parsed (defaults filled in). */
export type ConnectionSpecOf<K extends ConnectionKindName> = Extract<ConnectionSpec, { kind: K }>;

export const CONNECTION_KIND_NAMES: readonly ConnectionKindName[] = connectionKinds.map((k) => k.kind);

export const isConnectionKindName = (v: unknown): v is ConnectionKindName => CONNECTION_KIND_NAMES.some((k) => k === v);

/** The definition of a kind by its name; undefined for a name no kind has (a file written by a newer Weir, a typo). */
export function connectionKind(name: unknown): ConnectionKind | undefined {
  return connectionKinds.find((k) => k.kind === name);
}
