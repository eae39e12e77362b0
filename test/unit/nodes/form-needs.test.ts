import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { AGGREGATE_NEEDS, aggregateFn, aggregateItem, type AggregateFn } from '../../../shared/nodes/aggregate';
import { fileSourceConfig } from '../../../shared/nodes/file-source';
import { dropHidden, needOf } from '../../../shared/nodes/form-needs';
import { comparableTypes, suggestJoinKeys, typeFamily } from '../../../shared/nodes/join';
import { nodeKindSpec, nodeKindSpecs } from '../../../shared/nodes/registry';

/** The paths zod reports problems at, for one aggregate item. */
function problems(item: Record<string, unknown>): string[] {
  const r = aggregateItem.safeParse(item);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
}

const FIELDS = ['column', 'expression', 'order_by', 'separator', 'as'] as const;
const sample: Record<(typeof FIELDS)[number], string> = { column: 'viability', expression: 'avg(viability)', order_by: 'measured_at', separator: '; ', as: 'out' };

describe("an aggregate's fields, by function", () => {
  it('avg reads a column, which it requires, and takes no expression, order or separator', () => {
    expect(AGGREGATE_NEEDS.avg).toEqual({ column: 'required', expression: 'hidden', order_by: 'hidden', separator: 'hidden', as: 'optional' });
    expect(AGGREGATE_NEEDS.count.column).toBe('optional');
    expect(AGGREGATE_NEEDS.string_agg).toMatchObject({ order_by: 'optional', separator: 'optional' });
    expect(AGGREGATE_NEEDS.first.order_by).toBe('required');
    expect(AGGREGATE_NEEDS.expression).toMatchObject({ column: 'hidden', expression: 'required', as: 'required' });
  });

  it.each(aggregateFn.options)('%s: the validation asks for exactly what the form shows as required, and refuses what it hides', (fn: AggregateFn) => {
    const needs = AGGREGATE_NEEDS[fn];
    const required = FIELDS.filter((f) => needs[f] === 'required');
    const full = Object.fromEntries([['fn', fn], ...required.map((f) => [f, sample[f]])]);
    expect(problems(full), 'with its required fields').toEqual([]);
    for (const f of required) {
      const { [f]: _gone, ...missing } = full;
      expect(problems(missing), `without ${f}`).toEqual([f]);
    }
    for (const f of FIELDS.filter((x) => needs[x] === 'optional')) expect(problems({ ...full, [f]: sample[f] }), `with optional ${f}`).toEqual([]);
    for (const f of FIELDS.filter((x) => needs[x] === 'hidden')) expect(problems({ ...full, [f]: sample[f] }), `with unused ${f}`).toEqual([f]);
  });

  it('the form reads the needs off the definition, and a change of function drops the fields the new one does not use', () => {
    const needs = nodeKindSpec('aggregate')!.form!.needs!;
    const item = { fn: 'avg', column: 'viability' };
    expect(needOf(needs, 'aggregates[]', item, 'column')).toBe('required');
    expect(needOf(needs, 'aggregates[]', item, 'separator')).toBe('hidden');
    expect(needOf(needs, 'aggregates[]', { fn: 'string_agg' }, 'separator')).toBe('optional');
    expect(needOf(needs, 'aggregates[]', {}, 'column')).toBeUndefined();
    expect(needOf(needs, 'group_by', item, 'column')).toBeUndefined();
    expect(dropHidden(needs, 'aggregates[]', { fn: 'avg', column: 'v', separator: ', ', order_by: 't', as: 'mean_v' })).toEqual({ fn: 'avg', column: 'v', as: 'mean_v' });
    expect(dropHidden(needs, 'aggregates[]', { fn: 'string_agg', column: 'v', separator: ', ' })).toEqual({ fn: 'string_agg', column: 'v', separator: ', ' });
  });
});

describe("a file source's CSV options", () => {
  it('are for CSV only: a Parquet or JSON source does not offer them', () => {
    for (const kind of ['file_source', 'lake_source']) {
      const needs = nodeKindSpec(kind)!.form!.needs!;
      expect(needOf(needs, '', { format: 'parquet' }, 'csv'), kind).toBe('hidden');
      expect(needOf(needs, '', { format: 'json' }, 'csv'), kind).toBe('hidden');
      expect(needOf(needs, '', { format: 'csv' }, 'csv'), kind).toBeUndefined();
      expect(dropHidden(needs, '', { path: 'a.parquet', format: 'parquet', csv: { header: true } }), kind).toEqual({ path: 'a.parquet', format: 'parquet' });
    }
    expect(fileSourceConfig.safeParse({ path: 'raw/a.parquet', format: 'parquet' }).success).toBe(true);
  });
});

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
}
const def = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;
function unwrap(s: z.ZodType): z.ZodType {
  const d = def(s);
  if ((d.type === 'default' || d.type === 'optional') && d.innerType) return unwrap(d.innerType);
  if (d.type === 'pipe' && d.in) return unwrap(d.in);
  return s;
}
/** The object schema at an object path (`''`, `aggregates[]`). */
function objectAt(schema: z.ZodType, path: string): Record<string, z.ZodType> | undefined {
  let s: z.ZodType | undefined = unwrap(schema);
  for (const part of path ? path.split('.') : []) {
    s = def(s).shape?.[part.replace(/\[\]$/, '')];
    if (!s) return undefined;
    s = unwrap(s);
    if (part.endsWith('[]')) s = unwrap(def(s).element!);
  }
  return def(s).shape;
}

describe('every declared form need', () => {
  it('names an object of the config, its deciding field, values that field takes, and fields it has', () => {
    let checked = 0;
    for (const kind of nodeKindSpecs) {
      for (const [path, rule] of Object.entries(kind.form?.needs ?? {})) {
        const shape = objectAt(kind.config, path);
        expect(shape, `${kind.kind} ${path}`).toBeDefined();
        const by = shape![rule.by];
        expect(by, `${kind.kind} ${path}: ${rule.by}`).toBeDefined();
        const options = (unwrap(by!) as unknown as { options?: string[] }).options ?? [];
        for (const [value, fields] of Object.entries(rule.needs)) {
          expect(options, `${kind.kind}: ${rule.by} = ${value}`).toContain(value);
          for (const field of Object.keys(fields)) expect(shape![field], `${kind.kind} ${path}.${field}`).toBeDefined();
        }
        checked++;
      }
      if (kind.form?.keyPairs) expect(objectAt(kind.config, `${kind.form.keyPairs}[]`), `${kind.kind} keyPairs`).toMatchObject({ left: expect.anything(), right: expect.anything() });
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});

describe('join keys suggested from the inputs', () => {
  const batches = [
    { name: 'batch_id', type: 'VARCHAR' },
    { name: 'site', type: 'VARCHAR' },
    { name: 'started_at', type: 'TIMESTAMP' },
  ];
  const assays = [
    { name: 'assay_id', type: 'INTEGER' },
    { name: 'BATCH_ID', type: 'VARCHAR' },
    { name: 'site', type: 'VARCHAR' },
    { name: 'value', type: 'DOUBLE' },
  ];

  it('the common key of the template (batch_id), not every shared column', () => {
    expect(suggestJoinKeys(batches, assays)).toEqual({
      common: [
        { left: 'batch_id', right: 'BATCH_ID' },
        { left: 'site', right: 'site' },
      ],
      key: [{ left: 'batch_id', right: 'BATCH_ID' }],
    });
  });

  it('one shared column is the key whatever its name; several without a key-like name leave the choice to the user', () => {
    expect(suggestJoinKeys([{ name: 'lot', type: 'VARCHAR' }, { name: 'x', type: 'DOUBLE' }], [{ name: 'lot', type: 'VARCHAR' }]).key).toEqual([{ left: 'lot', right: 'lot' }]);
    const two = suggestJoinKeys([{ name: 'lot', type: 'VARCHAR' }, { name: 'site', type: 'VARCHAR' }], [{ name: 'site', type: 'VARCHAR' }, { name: 'lot', type: 'VARCHAR' }]);
    expect(two.common).toHaveLength(2);
    expect(two.key).toEqual([]);
    // Nothing shared: nothing filled in (the keys stay empty and required).
    expect(suggestJoinKeys([{ name: 'a', type: 'INTEGER' }], [{ name: 'b', type: 'INTEGER' }])).toEqual({ common: [], key: [] });
  });

  it('only columns of comparable types: an INTEGER key matches a BIGINT one, not a VARCHAR one', () => {
    expect(suggestJoinKeys([{ name: 'id', type: 'INTEGER' }], [{ name: 'id', type: 'BIGINT' }]).key).toEqual([{ left: 'id', right: 'id' }]);
    expect(suggestJoinKeys([{ name: 'id', type: 'INTEGER' }], [{ name: 'id', type: 'VARCHAR' }])).toEqual({ common: [], key: [] });
    expect(comparableTypes('DECIMAL(10,2)', 'DOUBLE')).toBe(true);
    expect(comparableTypes('DATE', 'TIMESTAMP')).toBe(false);
    expect(comparableTypes('TIMESTAMP WITH TIME ZONE', 'TIMESTAMP_NS')).toBe(true);
    expect(typeFamily('INTEGER[]')).not.toBe(typeFamily('INTEGER'));
  });

  it('a new join starts without keys (no made-up id = id)', () => {
    expect(nodeKindSpec('join')!.defaults()).toMatchObject({ on: [] });
    expect(nodeKindSpec('join')!.form).toEqual({ keyPairs: 'on' });
  });
});
