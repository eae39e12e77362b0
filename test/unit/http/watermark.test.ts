import { describe, expect, it } from 'vitest';
import { nodeKindSpec } from '../../../shared/nodes/registry';
import { httpSourceConfig } from '../../../shared/nodes/http-source';
import { formFor, type FieldSpec } from '../../../src-renderer/inspector/schema-form';
import { isAfter, keptMark, markScope, MarkTracker } from '../../../src-main/engine/http/watermark';

const fieldsOf = (spec: FieldSpec | undefined) => (spec?.kind === 'object' ? spec.fields : []);

describe('http source watermark', () => {
  const w = { field: 'meta.at', param: 'since' };

  it('keeps the largest value: numbers by value, ISO dates as instants, other text as text', () => {
    expect(isAfter(10, 9, 'f', 'node "n"')).toBe(true);
    expect(isAfter('2026-01-02T00:00:00Z', '2026-01-01T23:59:59.999+00:00', 'f', 'node "n"')).toBe(true);
    // 01:00+02:00 is 23:00 the day before in UTC: an instant, not text.
    expect(isAfter('2026-01-02T01:00:00+02:00', '2026-01-01T23:30:00Z', 'f', 'node "n"')).toBe(false);
    expect(isAfter('e000010', 'e000009', 'f', 'node "n"')).toBe(true);
    expect(() => isAfter(3, '2', 'f', 'node "n"')).toThrow(/node "n": watermark field "f" holds both numbers and text/);

    const t = new MarkTracker(w, 'node "n"', '2026-01-01T00:00:00Z');
    t.see([{ meta: { at: '2026-01-03T00:00:00Z' } }, { meta: {} }, { meta: { at: null } }, { meta: { at: '2026-01-02T00:00:00Z' } }]);
    expect(t.value).toBe('2026-01-03T00:00:00Z');
    expect(() => t.see([{ meta: { at: { nested: 1 } } }])).toThrow(/watermark field "meta.at" holds \{"nested":1\}/);
  });

  it('uses a kept value only for the same field and parameter, and refuses one that is not a value', () => {
    expect(keptMark({ scope: markScope(w), value: 5 }, w, 'node "n"', 'x')).toBe(5);
    expect(keptMark({ scope: markScope({ ...w, param: 'other' }), value: 5 }, w, 'node "n"', 'x')).toBeNull();
    expect(keptMark(null, w, 'node "n"', 'x')).toBeNull();
    expect(() => keptMark({ scope: markScope(w), value: { $gt: '' } }, w, 'node "n"', 'in .weir/state/')).toThrow(/kept watermark in \.weir\/state\/ is not one/);
  });

  it('refuses a watermark parameter also set in query, and the forms show the new fields', () => {
    const bad = httpSourceConfig.safeParse({ url: 'https://api.example/x', query: { since: '1' }, watermark: w });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('query parameter \\"since\\" is the watermark\'s');
    const http = fieldsOf(formFor(nodeKindSpec('http_source')!.config));
    expect(fieldsOf(http.find((f) => f.key === 'watermark')?.spec).map((f) => f.key)).toEqual(['field', 'param', 'initial']);
    const lake = fieldsOf(formFor(nodeKindSpec('lake_source')!.config));
    expect(lake.find((f) => f.key === 'only_new')).toMatchObject({ spec: { kind: 'boolean' }, default: false });
  });
});
