import type { z } from 'zod';
import { jsonPath } from '../errors';
import type { SqlGenerator } from './define';
import type { FieldRole } from './field-roles';
import { nodeKinds, type AnyNodeKind, type ConfigOfKind } from './kinds';

export type { SqlGenerator } from './define';

/**
 * The low-code transforms: each is a form over a config that generates one SELECT, shown
 * beside the form, and can be turned into a SQL node holding that very SELECT. The
 * engine runs the generated SQL, so a low-code node and its converted SQL node give the
 * same rows. They are the kinds whose definition has `select` (define.ts).
 */
type LowCodeDefinition = Extract<AnyNodeKind, { select: unknown }>;
export type LowCodeKind = LowCodeDefinition['kind'];

function isLowCodeDefinition(k: AnyNodeKind): k is LowCodeDefinition {
  return 'select' in k && typeof k.select === 'function';
}

const lowCodeDefinitions = nodeKinds.filter(isLowCodeDefinition);

export const lowCodeKinds: readonly LowCodeKind[] = lowCodeDefinitions.map((k) => k.kind);

export type LowCodeConfigs = { [K in LowCodeKind]: ConfigOfKind<K> };

/**
 * A table by low-code kind, read off the definitions. Object.fromEntries cannot type a record
 * whose value depends on its key: the callers below state that type once (each value is the
 * definition's own, so it holds).
 */
function byLowCodeKind<V>(pick: (k: LowCodeDefinition) => V): { [K in LowCodeKind]: V } {
  return Object.fromEntries(lowCodeDefinitions.map((k) => [k.kind, pick(k)])) as { [K in LowCodeKind]: V };
}

/** kind → SQL generator over a parsed config (defaults applied) and the input node names in input order. */
export const lowCodeSqlGenerators = byLowCodeKind((k) => k.select) as { [K in LowCodeKind]: SqlGenerator<LowCodeConfigs[K]> };

/** kind → config schema (the same objects as in the node registry). */
export const lowCodeConfigSchemas = byLowCodeKind((k) => k.config) as { [K in LowCodeKind]: z.ZodType<LowCodeConfigs[K]> };

export function isLowCodeKind(kind: string): kind is LowCodeKind {
  return (lowCodeKinds as readonly string[]).includes(kind);
}

/**
 * What a form widget should offer for a config field, beyond what the schema says. Paths are
 * dotted; `[]` stands for every item of an array (`columns[].name`); a path naming a string
 * array (`group_by`) means "a list of such values".
 * - column: a column of `inputs[input]` (pick from the input's columns; typing any name is allowed)
 * - sql: an SQL fragment the user types (inserted into the SQL as typed)
 * - duckdb_type: a DuckDB type name (offer `commonDuckdbTypes` from ./select)
 */
export type FieldHint = { type: 'column'; input: number } | { type: 'sql' } | { type: 'duckdb_type' };

/** The widget a declared role asks for, where the form has one. */
function hintFor(role: FieldRole | undefined): FieldHint | null {
  if (!role) return null;
  if (role.type === 'column' && 'input' in role) return { type: 'column', input: role.input };
  if (role.type === 'sql' && role.form === 'expression') return { type: 'sql' };
  if (role.type === 'duckdb_type') return { type: 'duckdb_type' };
  return null;
}

/** A kind's form hints, from its declared field roles. */
export function fieldHintsOf(roles: Readonly<Record<string, FieldRole | undefined>>): Record<string, FieldHint> {
  return Object.fromEntries(Object.entries(roles).flatMap(([path, role]) => {
    const hint = hintFor(role);
    return hint ? [[path, hint]] : [];
  }));
}

export const lowCodeFieldHints = byLowCodeKind((k) => fieldHintsOf(k.fields));

/**
 * A field's label and help from its schema description, written `Label — help` in these
 * kinds (a description without the dash is all label).
 */
export function fieldText(description: string | undefined, fallback = ''): { label: string; help: string } {
  if (!description) return { label: fallback, help: '' };
  const at = description.indexOf(' — ');
  return at < 0 ? { label: description, help: '' } : { label: description.slice(0, at), help: description.slice(at + 3) };
}

export interface ConfigIssue {
  /** Where in the config, as zod reports it (`['columns', 0, 'name']`); empty for the node as a whole. */
  path: (string | number)[];
  message: string;
}

export type LowCodeSqlResult<C = unknown> = { ok: true; sql: string[]; config: C } | { ok: false; issues: ConfigIssue[] };

/**
 * The SQL a low-code node generates from a raw config (as the form or the file holds it),
 * or why it cannot yet: config issues per field, or the wrong number of inputs. Never throws,
 * so a form can call it on every keystroke.
 */
export function lowCodeSql<K extends LowCodeKind>(kind: K, config: unknown, inputNames: readonly string[]): LowCodeSqlResult<LowCodeConfigs[K]> {
  const parsed = lowCodeConfigSchemas[kind].safeParse(config);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message })) };
  }
  try {
    const generate = lowCodeSqlGenerators[kind] as SqlGenerator<LowCodeConfigs[K]>;
    return { ok: true, sql: generate(parsed.data, inputNames), config: parsed.data };
  } catch (e) {
    return { ok: false, issues: [{ path: [], message: (e as Error).message }] };
  }
}

/** Path and message as one line: `columns[0].name: expected a column name`. */
export function issueText(issue: ConfigIssue): string {
  const path = jsonPath(issue.path);
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * What converting reads of a node; a pipeline node (shared/pipeline/schema.ts) is one. Named
 * here by shape so that node kinds need not import the pipeline schema, which imports them.
 */
interface NodeToConvert {
  readonly kind: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

interface SqlNodePart {
  kind: 'sql';
  config: { sql: string[] };
}

/**
 * "Convert to SQL node": the same node (same id, name, inputs and description, so edges,
 * layout and downstream references survive) as a `sql` node holding the generated SQL.
 * `inputNames` are the names of `node.inputs`, in order. Throws a one-line error naming
 * the node when it is not a low-code node or its config is not valid.
 */
export function convertToSqlNode<N extends NodeToConvert>(node: N, inputNames: readonly string[]): Omit<N, 'kind' | 'config'> & SqlNodePart {
  if (!isLowCodeKind(node.kind)) {
    throw new Error(`node "${node.name}" is a ${node.kind} node; only ${lowCodeKinds.join(', ')} nodes convert to SQL`);
  }
  const result = lowCodeSql(node.kind, node.config, inputNames);
  if (!result.ok) throw new Error(`node "${node.name}": ${issueText(result.issues[0]!)}`);
  return { ...node, kind: 'sql', config: { sql: result.sql } };
}
