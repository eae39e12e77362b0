import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nodeKindSpec } from '../../../shared/nodes/registry';
import { formFor, type FieldSpec, type ObjectField } from '../../../src-renderer/inspector/schema-form';

const fieldsOf = (spec: FieldSpec | undefined): ObjectField[] => (spec?.kind === 'object' ? spec.fields : []);
const field = (spec: FieldSpec | undefined, key: string) => fieldsOf(spec).find((f) => f.key === key)?.spec;

describe('the form picks a widget from the kind\'s declared roles, not from field names', () => {
  it('gives SQL lines an SQL editor wherever the kind declares them: a PostgreSQL query, a check\'s query rule', () => {
    expect(field(formFor(nodeKindSpec('postgres_source')!.config), 'query')).toMatchObject({ kind: 'lines', sql: true });
    const rules = field(formFor(nodeKindSpec('check')!.config), 'rules');
    const variant = rules?.kind === 'list' ? rules.item : undefined;
    const option = (type: string) => (variant?.kind === 'variant' ? variant.options.find((o) => o.value === type)?.spec : undefined);
    expect(field(option('query'), 'sql')).toMatchObject({ kind: 'lines', sql: true });
    expect(field(option('unique'), 'columns')).toMatchObject({ kind: 'lines', sql: false });
  });

  it('gives lines of no declared role a plain list, even when the field is called sql', () => {
    const form = formFor(z.strictObject({ sql: z.array(z.string()), query: z.array(z.string()) }));
    expect(field(form, 'sql')).toMatchObject({ kind: 'lines', sql: false });
    expect(field(form, 'query')).toMatchObject({ kind: 'lines', sql: false });
  });
});
