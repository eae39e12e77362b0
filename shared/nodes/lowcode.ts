import type { z } from 'zod';
import { jsonPath } from '../errors';
import type { PipelineNode } from '../pipeline/schema';
import { aggregateConfig, aggregateSql, type AggregateConfig } from './aggregate';
import { deduplicateConfig, deduplicateSql, type DeduplicateConfig } from './deduplicate';
import { filterConfig, filterSql, type FilterConfig } from './filter';
import { joinConfig, joinSql, type JoinConfig } from './join';
import { selectConfig, selectSql, type SelectConfig } from './select';
import { unionConfig, unionSql, type UnionConfig } from './union';

/**
 * The low-code transforms: each is a form over a config that generates one SELECT, shown
 * beside the form, and can be turned into a SQL node holding that very SELECT. The
 * engine runs the generated SQL, so a low-code node and its converted SQL node give the
 * same rows.
 */
export const lowCodeKinds = ['filter', 'select', 'join', 'aggregate', 'union', 'deduplicate'] as const;
export type LowCodeKind = (typeof lowCodeKinds)[number];

export interface LowCodeConfigs {
  filter: FilterConfig;
  select: SelectConfig;
  join: JoinConfig;
  aggregate: AggregateConfig;
  union: UnionConfig;
  deduplicate: DeduplicateConfig;
}

export type SqlGenerator<C> = (config: C, inputNames: readonly string[]) => string[];

/** kind → SQL generator over a parsed config (defaults applied) and the input node names in input order. */
export const lowCodeSqlGenerators: { [K in LowCodeKind]: SqlGenerator<LowCodeConfigs[K]> } = {
  filter: filterSql,
  select: selectSql,
  join: joinSql,
  aggregate: aggregateSql,
  union: unionSql,
  deduplicate: deduplicateSql,
};

/** kind → config schema (the same objects as in the node registry). */
export const lowCodeConfigSchemas: { [K in LowCodeKind]: z.ZodType<LowCodeConfigs[K]> } = {
  filter: filterConfig,
  select: selectConfig,
  join: joinConfig,
  aggregate: aggregateConfig,
  union: unionConfig,
  deduplicate: deduplicateConfig,
};

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

const col0: FieldHint = { type: 'column', input: 0 };
const sql: FieldHint = { type: 'sql' };

export const lowCodeFieldHints: { [K in LowCodeKind]: Readonly<Record<string, FieldHint>> } = {
  filter: { condition: sql },
  select: { 'columns[].name': col0, 'columns[].cast': { type: 'duckdb_type' }, exclude: col0 },
  join: { 'on[].left': col0, 'on[].right': { type: 'column', input: 1 }, condition: sql },
  aggregate: { group_by: col0, 'aggregates[].column': col0, 'aggregates[].order_by': col0, 'aggregates[].expression': sql },
  union: {},
  deduplicate: { keys: col0, 'order_by[].column': col0 },
};

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
 * "Convert to SQL node": the same node (same id, name, inputs and description, so edges,
 * layout and downstream references survive) as a `sql` node holding the generated SQL.
 * `inputNames` are the names of `node.inputs`, in order. Throws a one-line error naming
 * the node when it is not a low-code node or its config is not valid.
 */
export function convertToSqlNode(node: PipelineNode, inputNames: readonly string[]): PipelineNode {
  if (!isLowCodeKind(node.kind)) {
    throw new Error(`node "${node.name}" is a ${node.kind} node; only ${lowCodeKinds.join(', ')} nodes convert to SQL`);
  }
  const result = lowCodeSql(node.kind, node.config, inputNames);
  if (!result.ok) throw new Error(`node "${node.name}": ${issueText(result.issues[0]!)}`);
  return { ...node, kind: 'sql', config: { sql: result.sql } };
}
