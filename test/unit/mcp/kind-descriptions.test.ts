import { describe, expect, it } from 'vitest';
import { nodeKindSpec, nodeKindNames } from '../../../shared/nodes/registry';
import { describeNodeKinds } from '../../../src-main/mcp/tools/kind-descriptions';

/** Kinds that cannot start valid: their keys, time column or columns name the input's columns. */
const PICK_COLUMNS_FIRST = new Set(['join', 'cast_columns', 'time_bucket', 'fill_missing', 'pivot', 'unpivot']);

describe('describe_node_kinds: every kind with its JSON Schema', () => {
  it('lists every kind this build knows, in palette order, each with a usable starting config', () => {
    const kinds = describeNodeKinds();
    expect(kinds.map((k) => k.kind)).toEqual(nodeKindNames());
    for (const k of kinds) {
      expect(k.label.length, k.kind).toBeGreaterThan(2);
      expect(k.description.length, k.kind).toBeGreaterThan(10);
      expect(k.configSchema.type, k.kind).toBe('object');
      // The starting config is one the kind's own schema accepts, but for the kinds whose columns are the user's to pick.
      expect(nodeKindSpec(k.kind)!.config.safeParse(k.defaults).success, k.kind).toBe(!PICK_COLUMNS_FIRST.has(k.kind));
    }
    expect(JSON.parse(JSON.stringify(kinds))).toEqual(kinds);
  });

  it("gives a kind's config fields, their meaning and its inputs", () => {
    const [filter] = describeNodeKinds('filter');
    expect(filter).toMatchObject({ kind: 'filter', category: 'transform', inputs: { min: 1, max: 1 }, fields: { condition: { type: 'sql', form: 'expression' } } });
    const props = filter!.configSchema.properties as Record<string, { type?: string; enum?: string[] }>;
    expect(props.condition?.type).toBe('string');
    expect(props.mode?.enum).toEqual(['keep', 'drop']);
    const [source] = describeNodeKinds('file_source');
    expect(source!.inputs).toEqual({ min: 0, max: 0 });
    expect(Object.keys(source!.configSchema.properties as object)).toContain('path');
    expect(describeNodeKinds('no_such_kind')).toEqual([]);
  });
});
