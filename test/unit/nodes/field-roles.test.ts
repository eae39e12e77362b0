import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNodeKind } from '../../../shared/nodes/define';
import { mapRoleFields, roleFields, type FieldPath, type FieldRole } from '../../../shared/nodes/field-roles';
import { sqlFieldsOf } from '../../../shared/nodes/registry';
import { sqlConfig } from '../../../shared/nodes/sql';

const roles: Record<string, FieldRole> = {
  'rules[].where': { type: 'sql', form: 'expression' },
  'rules[].expression': { type: 'sql', form: 'expression' },
  'rules[].to': { type: 'node' },
  'csv.delimiter': { type: 'duckdb_type' },
};

describe('fields found by their declared roles', () => {
  const config = {
    rules: [
      { type: 'expression', expression: 'a > 0', where: 'b = 1' },
      { type: 'relationship', to: 'parent' },
      { type: 'expression', expression: 'c > 0' },
    ],
    csv: { delimiter: ';' },
  };

  it('expands lists and nested objects, in the order the config reads (declared order within an item)', () => {
    expect(roleFields(roles, config).map((f) => [f.path, f.value])).toEqual([
      [['rules', 0, 'where'], 'b = 1'],
      [['rules', 0, 'expression'], 'a > 0'],
      [['rules', 1, 'to'], 'parent'],
      [['rules', 2, 'expression'], 'c > 0'],
      [['csv', 'delimiter'], ';'],
    ]);
    expect(roleFields(roles, config, (r) => r.type === 'node').map((f) => f.pattern)).toEqual(['rules[].to']);
  });

  it('skips what is absent or not of the declared shape, and never throws on a config being edited', () => {
    expect(roleFields(roles, { rules: 'not a list', csv: null })).toEqual([]);
    expect(roleFields(roles, null)).toEqual([]);
    expect(roleFields(roles, { rules: [null, 3, { where: 'x' }] }).map((f) => f.path)).toEqual([['rules', 2, 'where']]);
  });

  it('rewrites only the fields of the role asked for, keeping every untouched object', () => {
    const upper = mapRoleFields(roles, config, (r) => r.type === 'sql', (v) => String(v).toUpperCase());
    expect(upper.rules[0]).toEqual({ type: 'expression', expression: 'A > 0', where: 'B = 1' });
    expect(upper.rules[1]).toBe(config.rules[1]);
    expect(upper.csv).toBe(config.csv);
    expect(mapRoleFields(roles, config, (r) => r.type === 'sql', (v) => v)).toBe(config);
  });
});

describe('the sandbox reads SQL fields from the declared roles', () => {
  it('lists a check\'s typed SQL per rule, where before expression, query rules as queries', () => {
    const fields = sqlFieldsOf('check', {
      rules: [
        { type: 'not_null', column: 'a', where: 'b > 1', severity: 'error' },
        { type: 'expression', expression: 'a < 2', severity: 'error' },
        { type: 'query', sql: ['select *', 'from x'], severity: 'warn' },
      ],
    });
    expect(fields).toEqual([
      { path: ['config', 'rules', 0, 'where'], text: 'b > 1', form: 'expression' },
      { path: ['config', 'rules', 1, 'expression'], text: 'a < 2', form: 'expression' },
      { path: ['config', 'rules', 2, 'sql'], text: 'select *\nfrom x', form: 'query' },
    ]);
  });

  it('skips a blank optional expression, and never lists SQL another system runs', () => {
    expect(sqlFieldsOf('join', { type: 'inner', on: [{ left: 'a', right: 'a' }], condition: '  ', select: 'all' })).toEqual([]);
    expect(sqlFieldsOf('aggregate', { group_by: [], aggregates: [{ fn: 'expression', expression: 'sum(x)', as: 's' }] })).toEqual([
      { path: ['config', 'aggregates', 0, 'expression'], text: 'sum(x)', form: 'expression' },
    ]);
    expect(sqlFieldsOf('postgres_source', { connection: 'mart', schema: 'public', query: ['select 1'] })).toEqual([]);
    expect(sqlFieldsOf('no_such_kind', { sql: ['select 1'] })).toEqual([]);
  });
});

describe('role paths are checked against the config type', () => {
  it('accepts the paths a config has and refuses others at compile time', () => {
    type Check = FieldPath<{ rules: ({ type: 'a'; where?: string } | { type: 'b'; to: string })[]; csv?: { delimiter: string } }>;
    const ok: Check[] = ['rules', 'rules[].where', 'rules[].to', 'csv.delimiter'];
    // @ts-expect-error a field no rule variant has
    const bad: Check = 'rules[].nope';
    expect([...ok, bad]).toHaveLength(5);
    const defineWithUnknownField = () =>
      // @ts-expect-error `sqls` is not a field of the sql kind's config
      defineNodeKind({
        kind: 'typo_kind',
        version: 1,
        label: 'x',
        category: 'transform',
        summary: 'x',
        inputs: { min: 0, max: 1 },
        config: sqlConfig,
        defaults: () => ({ sql: ['select 1'] }),
        fields: { sqls: { type: 'sql', form: 'query' } },
        compile: () => ({ relation: 'view', statements: [] }),
      });
    expect(defineWithUnknownField().fields).toHaveProperty('sqls');
  });

  it('refuses a definition that cannot be right when it loads', () => {
    const base = {
      label: 'x',
      category: 'transform' as const,
      summary: 'x',
      inputs: { min: 0, max: 1 },
      config: z.strictObject({ connection: z.string() }),
      defaults: () => ({ connection: 'c' }),
      compile: () => ({ relation: 'view' as const, statements: [] }),
    };
    expect(() => defineNodeKind({ ...base, kind: 'Bad-Name', version: 1 })).toThrow('node kind "Bad-Name": expected a snake_case name');
    expect(() => defineNodeKind({ ...base, kind: 'v2', version: 2 })).toThrow('node kind "v2": version 2 needs a migrate hook from the versions before it');
    expect(() => defineNodeKind({ ...base, kind: 'conn', version: 1, fields: { connection: { type: 'connection' } } })).toThrow(
      'node kind "conn": a connection field and connectionKinds go together',
    );
    expect(defineNodeKind({ ...base, kind: 'conn', version: 1, fields: { connection: { type: 'connection' } }, connectionKinds: ['folder'] }).connectionKinds).toEqual(['folder']);
  });
});
