import { describe, expect, it } from 'vitest';
import { nodeKindSpecs, nodeKindSpec } from '../../../shared/nodes/registry';
import { formFor, humanize, initialValue, issuesByPath, parseScalar, type FieldSpec } from '../../../src-renderer/inspector/schema-form';

const fieldsOf = (spec: FieldSpec) => (spec.kind === 'object' ? spec.fields : []);

describe('forms generated from the node kinds\' schemas', () => {
  it('gives every kind in the registry a form of fields, not a raw JSON box', () => {
    for (const s of nodeKindSpecs) {
      const form = formFor(s.config);
      expect(form.kind, s.kind).toBe('object');
      expect(fieldsOf(form).length, s.kind).toBeGreaterThan(0);
    }
  });

  it('shows SQL as an SQL editor, enums as choices, booleans as checkboxes, with defaults', () => {
    const sql = fieldsOf(formFor(nodeKindSpec('sql')!.config));
    expect(sql.find((f) => f.key === 'sql')?.spec).toMatchObject({ kind: 'lines', sql: true });
    expect(sql.find((f) => f.key === 'materialize')).toMatchObject({ spec: { kind: 'enum', options: ['auto', 'view', 'table'] }, default: 'auto', required: false });
    const file = fieldsOf(formFor(nodeKindSpec('file_source')!.config));
    expect(file.find((f) => f.key === 'hive_partitioning')).toMatchObject({ spec: { kind: 'boolean' }, default: false });
    expect(file.find((f) => f.key === 'csv')?.spec.kind).toBe('object');
  });

  it('lets a check pick its rule type, with the fields of that type', () => {
    const check = nodeKindSpec('check')!;
    const rules = fieldsOf(formFor(check.config)).find((f) => f.key === 'rules')?.spec;
    expect(rules?.kind).toBe('list');
    const item = rules?.kind === 'list' ? rules.item : null;
    expect(item?.kind).toBe('variant');
    if (item?.kind === 'variant') {
      expect(item.discriminator).toBe('type');
      expect(item.options.map((o) => o.value)).toContain('not_null');
      expect(initialValue(item)).toMatchObject({ type: item.options[0]?.value });
    }
  });

  it('reads typed text as the first scalar type it fits', () => {
    expect(parseScalar('12', ['string', 'number'])).toBe(12);
    expect(parseScalar('abc', ['string', 'number'])).toBe('abc');
    expect(parseScalar('null', ['string', 'null'])).toBeNull();
    expect(parseScalar('true', ['boolean', 'string'])).toBe(true);
    expect(parseScalar('', ['number'])).toBeUndefined();
  });

  it('keys validation issues by field path, and labels fields readably', () => {
    const issues = issuesByPath(nodeKindSpec('file_sink')!.config, { path: '', format: 'xlsx' });
    expect([...issues.keys()].sort()).toEqual(['format', 'path']);
    expect(humanize('hive_partitioning')).toBe('Hive partitioning');
    expect(humanize('sql')).toBe('SQL');
  });
});
