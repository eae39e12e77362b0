import type { z } from 'zod';
import { aggregateConfig } from './aggregate';
import { checkConfig } from './check';
import { deduplicateConfig } from './deduplicate';
import { fileSinkConfig } from './file-sink';
import { fileSourceConfig } from './file-source';
import { filterConfig } from './filter';
import { httpSourceConfig } from './http-source';
import { joinConfig } from './join';
import { lakeSinkConfig } from './lake-sink';
import { lakeSourceConfig } from './lake-source';
import { postgresSinkConfig } from './postgres-sink';
import { postgresSourceConfig } from './postgres-source';
import { seedConfig } from './seed';
import { selectConfig } from './select';
import { sqlConfig } from './sql';
import { unionConfig } from './union';
import type { SqlField } from './sql-fields';
import type { CheckConfig } from './check';
import type { AggregateConfig } from './aggregate';

export type NodeCategory = 'source' | 'transform' | 'check' | 'sink';

/**
 * What both sides know about a node kind: its config schema, how many inputs it takes,
 * and how the palette shows it. How it runs lives in src-main/engine/nodes/<kind>/.
 */
export interface NodeKindSpec {
  kind: string;
  label: string;
  category: NodeCategory;
  summary: string;
  inputs: { min: number; max: number };
  config: z.ZodType;
  /** A valid starting config for a node dropped from the palette. */
  defaults: () => Record<string, unknown>;
  /**
   * The DuckDB SQL a user typed into this kind's config (parsed with its schema). Kinds
   * without it hold none: everything they run is generated from names and literals.
   */
  sqlFields?: (config: never) => SqlField[];
}

const lines = (l: readonly string[]) => l.join('\n');

function checkSqlFields(c: CheckConfig): SqlField[] {
  const out: SqlField[] = [];
  c.rules.forEach((r, i) => {
    if ('where' in r && r.where !== undefined) out.push({ path: ['config', 'rules', i, 'where'], text: r.where, form: 'expression' });
    if (r.type === 'expression') out.push({ path: ['config', 'rules', i, 'expression'], text: r.expression, form: 'expression' });
    if (r.type === 'query') out.push({ path: ['config', 'rules', i, 'sql'], text: lines(r.sql), form: 'query' });
  });
  return out;
}

function aggregateSqlFields(c: AggregateConfig): SqlField[] {
  return c.aggregates.flatMap((a, i) =>
    a.expression !== undefined && a.expression.trim() !== '' ? [{ path: ['config', 'aggregates', i, 'expression'], text: a.expression, form: 'expression' as const }] : [],
  );
}

/** An optional free-text condition field; blank means none. */
function conditionField(text: string | undefined): SqlField[] {
  return text !== undefined && text.trim() !== '' ? [{ path: ['config', 'condition'], text, form: 'expression' }] : [];
}

export const nodeKindSpecs: readonly NodeKindSpec[] = [
  {
    kind: 'file_source',
    label: 'File',
    category: 'source',
    summary: 'CSV, Parquet or JSON files in the workspace; globs and hive partitions',
    inputs: { min: 0, max: 0 },
    config: fileSourceConfig,
    defaults: () => ({ path: 'data/raw/*.csv', format: 'csv' }),
  },
  {
    kind: 'lake_source',
    label: 'Lake (S3 / folder)',
    category: 'source',
    summary: 'CSV, Parquet or JSON objects under a prefix of an S3 bucket or lake folder; cached by ETag',
    inputs: { min: 0, max: 0 },
    config: lakeSourceConfig,
    defaults: () => ({ connection: 'lake', prefix: 'raw/', glob: '*.csv', format: 'csv' }),
  },
  {
    kind: 'http_source',
    label: 'HTTP / JSON API',
    category: 'source',
    summary: 'Records from a JSON API, with pagination and retries',
    inputs: { min: 0, max: 0 },
    config: httpSourceConfig,
    defaults: () => ({ connection: 'api', url: 'entries', records_path: '', pagination: { type: 'none' } }),
  },
  {
    kind: 'seed',
    label: 'Seed rows',
    category: 'source',
    summary: 'A small table typed inline, such as a lookup or specification list',
    inputs: { min: 0, max: 0 },
    config: seedConfig,
    defaults: () => ({ columns: [{ name: 'code', type: 'VARCHAR' }], rows: [['A']] }),
  },
  {
    kind: 'postgres_source',
    label: 'PostgreSQL',
    category: 'source',
    summary: 'A PostgreSQL table or query, streamed in read-only',
    inputs: { min: 0, max: 0 },
    config: postgresSourceConfig,
    defaults: () => ({ connection: 'mart', table: 'my_table' }),
  },
  {
    kind: 'sql',
    label: 'SQL',
    category: 'transform',
    summary: 'A DuckDB SELECT over its inputs, referred to by name',
    inputs: { min: 0, max: 64 },
    config: sqlConfig,
    defaults: () => ({ sql: ['select *', 'from input'] }),
    sqlFields: (c: { sql: string[] }) => [{ path: ['config', 'sql'], text: lines(c.sql), form: 'query' }],
  },
  // Low-code transforms (shared/nodes/lowcode.ts): a form that generates one SELECT.
  {
    kind: 'filter',
    label: 'Filter rows',
    category: 'transform',
    summary: 'Keeps or drops the rows that match a condition',
    inputs: { min: 1, max: 1 },
    config: filterConfig,
    defaults: () => ({ condition: 'true', mode: 'keep' }),
    sqlFields: (c: { condition: string }) => conditionField(c.condition),
  },
  {
    kind: 'select',
    label: 'Select / rename columns',
    category: 'transform',
    summary: 'Picks, orders, renames and converts columns',
    inputs: { min: 1, max: 1 },
    config: selectConfig,
    defaults: () => ({ columns: [], rest: 'keep', exclude: [] }),
  },
  {
    kind: 'join',
    label: 'Join',
    category: 'transform',
    summary: 'Combines two inputs on matching columns (inner, left, right, full, semi, anti)',
    inputs: { min: 2, max: 2 },
    config: joinConfig,
    defaults: () => ({ type: 'left', on: [{ left: 'id', right: 'id' }], select: 'all' }),
    sqlFields: (c: { condition?: string }) => conditionField(c.condition),
  },
  {
    kind: 'aggregate',
    label: 'Aggregate',
    category: 'transform',
    summary: 'Groups rows and computes counts, sums, averages and more per group',
    inputs: { min: 1, max: 1 },
    config: aggregateConfig,
    defaults: () => ({ group_by: [], aggregates: [{ fn: 'count', as: 'row_count' }] }),
    sqlFields: aggregateSqlFields,
  },
  {
    kind: 'union',
    label: 'Union',
    category: 'transform',
    summary: 'Stacks the rows of several inputs, matching columns by name',
    inputs: { min: 2, max: 16 },
    config: unionConfig,
    defaults: () => ({ by_name: true, distinct: false }),
  },
  {
    kind: 'deduplicate',
    label: 'Deduplicate',
    category: 'transform',
    summary: 'Keeps one row per key: the first or last in a chosen order',
    inputs: { min: 1, max: 1 },
    config: deduplicateConfig,
    defaults: () => ({ keys: [], order_by: [], keep: 'first' }),
  },
  {
    kind: 'check',
    label: 'Quality check',
    category: 'check',
    summary: 'Rules its input must pass (not null, unique, accepted values, range...); passes the rows on unchanged',
    // The first input is the relation checked; more inputs are what relationship and query rules read.
    inputs: { min: 1, max: 16 },
    config: checkConfig,
    defaults: () => ({ rules: [{ type: 'row_count', min: 1 }] }),
    sqlFields: checkSqlFields,
  },
  {
    kind: 'file_sink',
    label: 'File output',
    category: 'sink',
    summary: 'Writes its input as Parquet or CSV, atomically',
    inputs: { min: 1, max: 1 },
    config: fileSinkConfig,
    defaults: () => ({ path: 'data/curated/output.parquet', format: 'parquet' }),
  },
  {
    kind: 'postgres_sink',
    label: 'PostgreSQL mart',
    category: 'sink',
    summary: 'Publishes its input to a PostgreSQL table: replace (atomic swap), append or upsert by key',
    inputs: { min: 1, max: 1 },
    config: postgresSinkConfig,
    defaults: () => ({ connection: 'mart', schema: 'public', table: 'my_mart', mode: 'replace' }),
  },
  {
    kind: 'lake_sink',
    label: 'Lake output (S3 / folder)',
    category: 'sink',
    summary: 'Parquet or CSV to an S3 bucket or lake folder, published atomically by a manifest',
    inputs: { min: 1, max: 1 },
    config: lakeSinkConfig,
    defaults: () => ({ connection: 'lake', path: 'curated/output', format: 'parquet' }),
  },
];

const byKind = new Map(nodeKindSpecs.map((s) => [s.kind, s]));

export function nodeKindSpec(kind: string): NodeKindSpec | undefined {
  return byKind.get(kind);
}

export function nodeKindNames(): string[] {
  return nodeKindSpecs.map((s) => s.kind);
}

/** The SQL fields of a node whose config has been parsed by its kind's schema. */
export function sqlFieldsOf(kind: string, config: unknown): SqlField[] {
  const f = byKind.get(kind)?.sqlFields as ((c: unknown) => SqlField[]) | undefined;
  return f ? f(config) : [];
}
