import type { z } from 'zod';
import type { FieldRoles } from './field-roles';
import type { FormNeeds } from './form-needs';

/**
 * One node kind, defined once: everything both sides know about it (the designer and the
 * engine), in `shared/nodes/<kind>/index.ts`. How it runs is its engine half,
 * `src-main/engine/nodes/<kind>/`, typed against this definition (defineNodeRuntime).
 * docs/node-kinds.md walks through a new kind.
 */

export type NodeCategory = 'source' | 'transform' | 'check' | 'sink';

/** The connection kinds of weir.workspace.json (shared/workspace/schema.ts; a test keeps the two alike). */
export type ConnectionKindName = 'folder' | 's3' | 'postgres' | 'http';

/** What a node becomes in the run's DuckDB catalog. */
export type Relation = 'table' | 'view' | 'none';

/** A node's SQL: the relation it makes and the statements that make it, as `weir plan` and the designer show them. */
export interface CompiledSql {
  relation: Relation;
  statements: string[];
}

/**
 * What a kind's compile is given besides its config. The designer passes names only; the
 * engine adds what only it knows (absolute paths, the run's id), so both show the same SQL.
 */
export interface CompileAt {
  /** The node's name: the relation its statements create. */
  nodeName: string;
  /** The node's id, for errors that name it; absent where there is no node yet. */
  nodeId?: string;
  /** Its inputs' node names, in input order (as its SQL refers to them). */
  inputNames: readonly string[];
  /** How many reads its result feeds (a transform read more than once becomes a table); 1 when unknown. */
  fanOut: number;
  /** The run's id, for run-scoped names; absent outside a run. */
  runId?: string;
  /** Where the engine reads or writes a path the config names (absolute, or a run's staging path); absent: as written. */
  filePath?: (configPath: string) => string;
}

/** What a kind's form does beyond its schema and field roles; read by the designer's forms. */
export interface FormHints {
  /** Fields shown and required by the value of another (form-needs.ts): an aggregate's function, a file's format. */
  needs?: FormNeeds;
  /**
   * The path of a list of `{ left, right }` pairs naming a column of input 0 and one of input 1
   * (a join's `on`): the form suggests the inputs' common columns of compatible types
   * (join/key-suggest.ts), and fills an empty list with the common key where there is one.
   */
  keyPairs?: string;
}

/** A low-code transform's SELECT from its parsed config and its inputs' names. */
export type SqlGenerator<C> = (config: C, inputNames: readonly string[]) => string[];

export interface NodeKindInit<K extends string, C> {
  /** The name in pipeline files (`"kind": "file_source"`): snake_case, never changed once released. */
  kind: K;
  /**
   * The version of this kind's config (1 for every kind today). Raising it needs `migrate`,
   * and a pipeline format step that applies it (docs/node-kinds.md, "Versions").
   */
  version: number;
  label: string;
  category: NodeCategory;
  /**
   * Its place among its category's kinds in the palette, lower first (kinds.ts sorts by
   * category, then this, then name); a kind without one comes after those with one.
   */
  order?: number;
  /** One line for the palette and the inspector. */
  summary: string;
  /** How many inputs it takes. */
  inputs: { min: number; max: number };
  /** Its config, as files hold it; parsed with defaults before anything compiles or runs. */
  config: z.ZodType<C>;
  /** A valid starting config for a node dropped from the palette. */
  defaults: () => Record<string, unknown>;
  /** What its fields mean (field-roles.ts): SQL, columns of an input, node names, paths, a connection. */
  fields?: FieldRoles<C>;
  /** Form hints beyond the field roles: which fields a function or format needs, key pairs to suggest. */
  form?: FormHints;
  /** The kinds of connection its `connection` field may name; required when it declares one. */
  connectionKinds?: readonly ConnectionKindName[];
  /** Its SQL: pure, so the designer shows exactly what `weir plan` shows. Throws a one-line error on a config it cannot compile. */
  compile(config: C, at: CompileAt): CompiledSql;
  /**
   * The SELECTs it builds around SQL a user typed, exactly as they run: the sandbox checks them
   * as a whole, besides each typed field.
   */
  queries?(config: C, at: CompileAt): string[];
  /**
   * Low-code transforms: the one SELECT it generates from a form, shown beside the form; such a
   * node can be converted to a SQL node holding that SELECT.
   */
  select?(config: C, inputNames: readonly string[]): string[];
  /**
   * The pipeline parameters it reads outside SQL (an http source's `{{ params.name }}`): part of
   * its cache key like those its SQL reads, and each must be a parameter of the pipeline.
   */
  params?(config: C): string[];
  /** The short line its card shows (a path, a table, the first SQL line); absent: the first path or SQL line its roles name. */
  detail?(config: C): string | null;
  /** Upgrades a config written at version `from` to `from + 1` (only kinds above version 1 need it). */
  migrate?(config: Record<string, unknown>, from: number): Record<string, unknown>;
}

/** A defined kind: its init with the optional parts filled in. */
export interface NodeKind<K extends string = string, C = unknown> extends NodeKindInit<K, C> {
  fields: FieldRoles<C>;
  connectionKinds: readonly ConnectionKindName[];
}

const KIND_NAME = /^[a-z][a-z0-9_]*$/;

/** A low-code transform: a kind that generates its SELECT from a form. */
export type LowCodeNodeKind<K extends string = string, C = unknown> = NodeKind<K, C> & { select(config: C, inputNames: readonly string[]): string[] };

/**
 * Defines a node kind. The config type comes from its schema, and the field roles, compile and
 * generators are checked against it. Throws at load on a definition that cannot be right.
 */
export function defineNodeKind<const K extends string, S extends z.ZodType>(
  init: NodeKindInit<K, z.output<S>> & { config: S; select: SqlGenerator<z.output<S>> },
): LowCodeNodeKind<K, z.output<S>>;
export function defineNodeKind<const K extends string, S extends z.ZodType>(init: NodeKindInit<K, z.output<S>> & { config: S }): NodeKind<K, z.output<S>>;
export function defineNodeKind<const K extends string, S extends z.ZodType>(init: NodeKindInit<K, z.output<S>> & { config: S }): NodeKind<K, z.output<S>> {
  const fail = (why: string): never => {
    throw new Error(`node kind "${init.kind}": ${why}`);
  };
  if (!KIND_NAME.test(init.kind)) fail('expected a snake_case name');
  if (!Number.isInteger(init.version) || init.version < 1) fail('expected an integer version of 1 or more');
  if (init.version > 1 && !init.migrate) fail(`version ${init.version} needs a migrate hook from the versions before it`);
  if (init.inputs.min < 0 || init.inputs.max < init.inputs.min) fail('expected 0 <= inputs.min <= inputs.max');
  const fields = (init.fields ?? {}) as FieldRoles<z.output<S>>;
  const roles = Object.values(fields as Record<string, { type: string } | undefined>);
  const connectionKinds = init.connectionKinds ?? [];
  const namesConnection = roles.some((r) => r?.type === 'connection');
  if (namesConnection !== connectionKinds.length > 0) fail('a connection field and connectionKinds go together');
  if (init.select && init.category !== 'transform') fail('only transforms generate a SELECT');
  return { ...init, fields, connectionKinds };
}
