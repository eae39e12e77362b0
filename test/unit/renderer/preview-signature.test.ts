import { describe, expect, it } from 'vitest';
import type { Pipeline } from '../../../shared/pipeline/schema';
import { upstreamSignature } from '../../../src-renderer/preview/preview-signature';

const doc = (): Pipeline => ({
  format: 'weir.pipeline',
  version: 1,
  name: 'p',
  params: { n: { type: 'integer', default: 5 } },
  nodes: [
    { id: 'a', name: 'a', kind: 'seed', inputs: [], config: { columns: [{ name: 'x', type: 'INTEGER' }], rows: [[1]] } },
    { id: 'b', name: 'b', kind: 'sql', inputs: ['a'], config: { materialize: 'auto', sql: ['select * from a'] } },
    { id: 'c', name: 'c', kind: 'sql', inputs: ['a'], config: { materialize: 'auto', sql: ['select 1'] } },
  ],
  layout: {},
});

describe('what a live preview is recomputed for', () => {
  it('changes with the node, its upstream and the parameter defaults; not with another branch, a description or a move', () => {
    const base = doc();
    const sig = upstreamSignature(base, 'b');
    const edit = (fn: (p: Pipeline) => void) => {
      const p = structuredClone(base);
      fn(p);
      return upstreamSignature(p, 'b');
    };
    expect(edit((p) => (p.nodes[1]!.config = { materialize: 'auto', sql: ['select x from a'] }))).not.toBe(sig);
    expect(edit((p) => (p.nodes[0]!.config = { columns: [{ name: 'x', type: 'INTEGER' }], rows: [[2]] }))).not.toBe(sig);
    expect(edit((p) => (p.params.n = { type: 'integer', default: 6 }))).not.toBe(sig);
    expect(edit((p) => (p.nodes[2]!.config = { materialize: 'auto', sql: ['select 2'] }))).toBe(sig);
    expect(edit((p) => (p.nodes[1]!.description = 'why'))).toBe(sig);
    expect(edit((p) => (p.layout = { b: { x: 1, y: 2 } }))).toBe(sig);
  });

  it("changes with a rename of the node or of its upstream and with its inputs' wiring; not with a config's defaults written out", () => {
    const base = doc();
    const sig = upstreamSignature(base, 'b');
    const edit = (fn: (p: Pipeline) => void) => {
      const p = structuredClone(base);
      fn(p);
      return upstreamSignature(p, 'b');
    };
    expect(edit((p) => (p.nodes[1]!.name = 'b2'))).not.toBe(sig);
    expect(edit((p) => (p.nodes[0]!.name = 'a2'))).not.toBe(sig);
    expect(edit((p) => (p.nodes[1]!.inputs = ['c']))).not.toBe(sig);
    expect(edit((p) => (p.nodes[1]!.config = { sql: ['select * from a'] }))).toBe(sig);
  });
});
