import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { fieldText, lowCodeConfigSchemas, lowCodeFieldHints, lowCodeKinds, lowCodeSql } from '../../../../shared/nodes/lowcode';
import { nodeKindSpec } from '../../../../shared/nodes/registry';
import { nodeRuntime } from '../../../../src-main/engine/nodes/registry';
import type { CompileContext } from '../../../../src-main/engine/nodes/types';
import type { Workspace } from '../../../../src-main/engine/workspace/workspace';

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}
const def = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under a wrapper (default, optional). */
function unwrap(s: z.ZodType): z.ZodType {
  const d = def(s);
  return (d.type === 'default' || d.type === 'optional') && d.innerType ? unwrap(d.innerType) : s;
}

/** The schema at a hint path such as `aggregates[].column`, or undefined. */
function at(schema: z.ZodType, path: string): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (const part of path.split('.')) {
    const name = part.replace(/\[\]$/, '');
    const obj: z.ZodType | undefined = s && unwrap(s);
    s = obj && def(obj).shape?.[name];
    if (s && part.endsWith('[]')) s = def(unwrap(s)).element;
  }
  return s;
}

/** Every object field, with its path, to check each has a label. */
function fields(schema: z.ZodType, prefix = ''): [string, z.ZodType][] {
  const s = unwrap(schema);
  const d = def(s);
  if (d.type === 'array' && d.element) return fields(d.element, `${prefix}[]`);
  if (d.type !== 'object' || !d.shape) return [];
  return Object.entries(d.shape).flatMap(([k, v]) => [[`${prefix}${prefix ? '.' : ''}${k}`, v] as [string, z.ZodType], ...fields(v, `${prefix}${prefix ? '.' : ''}${k}`)]);
}

/** The step kinds whose new node names no columns yet: the field that says so, and what completes it. */
const NEEDS_COLUMNS = {
  cast_columns: { field: 'columns', fill: { columns: [{ name: 'a', type: 'DOUBLE' }] } },
  pivot: { field: 'column', fill: { column: 'assay', values: ['ph'], value_column: 'v' } },
  unpivot: { field: 'columns', fill: { columns: ['a', 'b'] } },
  time_bucket: { field: 'time_column', fill: { time_column: 't' } },
  fill_missing: { field: 'columns', fill: { columns: ['a'], order_by: [{ column: 't' }] } },
} as const;

describe('the low-code kinds in the registries', () => {
  it.each(lowCodeKinds)('%s: registered as a transform whose defaults generate SQL', (kind) => {
    const spec = nodeKindSpec(kind)!;
    expect(spec).toMatchObject({ kind, category: 'transform' });
    expect(spec.config).toBe(lowCodeConfigSchemas[kind]);
    const want = kind === 'join' ? [2, 2] : kind === 'union' ? [2, 16] : [1, 1];
    expect([spec.inputs.min, spec.inputs.max]).toEqual(want);
    const inputs = Array.from({ length: spec.inputs.min }, (_, i) => `input_${i}`);
    const result = lowCodeSql(kind, spec.defaults(), inputs);
    if (kind === 'join') {
      // A new join names no keys until its inputs are known (the form fills in their common key;
      // a made-up `id = id` named columns that do not exist: issue #15, item 11). Keys make it whole.
      expect(result).toMatchObject({ ok: false, issues: [{ path: ['on'] }] });
      const keyed = lowCodeSql(kind, { ...spec.defaults(), on: [{ left: 'batch_id', right: 'batch_id' }] }, inputs);
      expect(keyed.ok, JSON.stringify(keyed)).toBe(true);
    } else if (kind in NEEDS_COLUMNS) {
      // Steps over named columns start empty until the input's columns are known; the form asks for them.
      const named = NEEDS_COLUMNS[kind as keyof typeof NEEDS_COLUMNS];
      expect(result).toMatchObject({ ok: false, issues: expect.arrayContaining([expect.objectContaining({ path: [named.field] })]) });
      const whole = lowCodeSql(kind, { ...spec.defaults(), ...named.fill }, inputs);
      expect(whole.ok, JSON.stringify(whole)).toBe(true);
    } else expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(nodeRuntime(kind).kind).toBe(kind);
  });

  it.each(lowCodeKinds)('%s: every config field has a description a form can label it by', (kind) => {
    for (const [path, schema] of fields(lowCodeConfigSchemas[kind])) {
      expect(fieldText(schema.description).label, `${kind}.${path}`).not.toBe('');
    }
  });

  it.each(lowCodeKinds)('%s: every field hint names a field of the config', (kind) => {
    for (const path of Object.keys(lowCodeFieldHints[kind])) expect(at(lowCodeConfigSchemas[kind], path), `${kind}.${path}`).toBeDefined();
  });

  it('splits a description into label and help', () => {
    expect(fieldText('Join type — inner: matching rows only')).toEqual({ label: 'Join type', help: 'inner: matching rows only' });
    expect(fieldText('Columns')).toEqual({ label: 'Columns', help: '' });
    expect(fieldText(undefined, 'fn')).toEqual({ label: 'fn', help: '' });
  });
});

describe('the low-code runtimes', () => {
  const ctx = (kind: string, config: Record<string, unknown>, inputs: string[], fanOut: number): CompileContext<unknown> => ({
    node: { id: 'n1', name: 'out', kind, inputs: inputs.map((i) => `id_${i}`), config },
    config: nodeKindSpec(kind)!.config.parse(config),
    inputs: inputs.map((name) => ({ id: `id_${name}`, name })),
    fanOut,
    workspace: {} as Workspace,
    pipelineFile: null,
    runId: 'r1',
  });

  it('create a view of the generated SQL, or a table when the node fans out; cacheable', () => {
    const filter = nodeRuntime('filter');
    expect(filter.cacheable).toBe(true);
    expect(filter.compile(ctx('filter', { condition: 'v > 1' }, ['batches'], 1))).toEqual({
      relation: 'view',
      // The closing newline keeps a `--` comment in a fragment from reaching past the query.
      statements: ['CREATE OR REPLACE VIEW "out" AS SELECT *\nFROM batches\nWHERE v > 1\n'],
    });
    expect(nodeRuntime('union').compile(ctx('union', {}, ['a', 'b'], 2))).toEqual({
      relation: 'table',
      statements: ['CREATE OR REPLACE TABLE "out" AS SELECT * FROM a\nUNION ALL BY NAME\nSELECT * FROM b\n'],
    });
  });
});
