import { describe, expect, it } from 'vitest';
import { nodeKindSpecs } from '../../../shared/nodes/registry';
import { CATEGORY_LABEL } from '../../../src-renderer/canvas/kind-style';
import { filterKinds, type FilterableKind } from '../../../src-renderer/canvas/palette-filter';
import { commandItems, rankItems } from '../../../src-renderer/shell/command-items';
import { fuzzyScore } from '../../../src-renderer/shell/fuzzy';
import type { Pipeline } from '../../../shared/pipeline/schema';

/** The palette's filter box and the command palette's fuzzy ranking (issue #20 item 5). */

const label = (c: FilterableKind['category']) => CATEGORY_LABEL[c];
const kinds = (q: string) => filterKinds(nodeKindSpecs, q, label).map((k) => k.kind);

describe('the palette filter', () => {
  it('finds every kind of the registry by its own kind name and by its label, first', () => {
    for (const k of nodeKindSpecs) {
      expect(kinds(k.kind)[0], k.kind).toBe(k.kind);
      expect(filterKinds(nodeKindSpecs, k.label, label)[0]?.label, k.label).toBe(k.label);
    }
  });

  it('ranks the label before the kind name, before the category, before the description', () => {
    const list: FilterableKind[] = [
      { kind: 'zeta', label: 'Zeta', category: 'transform', summary: 'mentions sort in passing' },
      { kind: 'sorter_x', label: 'Order rows', category: 'transform', summary: '' },
      { kind: 'other', label: 'Sort', category: 'transform', summary: '' },
      { kind: 'sortish', label: 'Sorted sample', category: 'sink', summary: '' },
    ];
    expect(filterKinds(list, 'sort').map((k) => k.kind)).toEqual(['other', 'sortish', 'sorter_x', 'zeta']);
    expect(filterKinds(list, 'sink').map((k) => k.kind)).toEqual(['sortish']);
  });

  it('needs every word to match somewhere; ties keep the palette order; an empty query is everything', () => {
    expect(kinds('')).toEqual(nodeKindSpecs.map((k) => k.kind));
    expect(kinds('   ')).toHaveLength(nodeKindSpecs.length);
    expect(kinds('no-such-thing-anywhere')).toEqual([]);
    // the category's label and its name both work, and every match is of that category
    const checks = filterKinds(nodeKindSpecs, 'checks', label);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((k) => k.category === 'check' || k.summary.toLowerCase().includes('check') || k.label.toLowerCase().includes('check'))).toBe(true);
    expect(kinds('source postgres')[0]).toBe('postgres_source');
  });
});

describe('the command palette', () => {
  it('fuzzy: the characters in order; exact, prefix, word start and runs rank first', () => {
    expect(fuzzyScore('frway', 'far_away')).not.toBeNull();
    expect(fuzzyScore('xyz', 'far_away')).toBeNull();
    expect(fuzzyScore('yawraf', 'far_away')).toBeNull();
    const order = ['lots', 'lots_qc', 'qc_lots', 'all_slots', 'l_o_t_s_x'].sort((a, b) => fuzzyScore('lots', a)! - fuzzyScore('lots', b)!);
    expect(order).toEqual(['lots', 'lots_qc', 'qc_lots', 'all_slots', 'l_o_t_s_x']);
    expect(fuzzyScore('bc', 'batchCount')!).toBeLessThan(fuzzyScore('bc', 'abacus_c')!);
  });

  it('lists nodes, commands and kinds to add; a node named as typed comes first; at most 50 rows', () => {
    const doc: Pipeline = {
      format: 'weir.pipeline',
      version: 1,
      name: 'p',
      params: {},
      nodes: Array.from({ length: 200 }, (_, i) => ({ id: `n${i}`, name: `step_${i}`, kind: 'sql', inputs: [], config: { sql: ['select 1'] } })),
      layout: {},
    };
    const items = commandItems(doc, [{ label: 'Save', keys: 'mod+s' }, { label: 'Save' }, { label: 'Zoom to fit', keys: 'shift+1' }]);
    expect(items.filter((i) => i.group === 'command').map((i) => i.label)).toEqual(['Save', 'Zoom to fit']);
    expect(items.filter((i) => i.group === 'add')).toHaveLength(nodeKindSpecs.length);
    expect(rankItems(items, 'step_17')[0]?.key).toBe('node:n17');
    expect(rankItems(items, 'zoom')[0]?.label).toBe('Zoom to fit');
    expect(rankItems(items, 'add filter')[0]?.key).toBe('add:filter');
    // a node's id is matched too
    expect(rankItems(items, 'n199')[0]?.key).toBe('node:n199');
    expect(rankItems(items, '')).toHaveLength(50);
    expect(commandItems(null, []).length).toBe(0);
  });
});
